import type { HistoryRecord, RunRecord, RunStore } from '@baton/core';
import type { TimelineEvent } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { TimelineDisplay } from '../src/timeline-display.js';

const RUN_ID = '5f0c2a9e'.repeat(4);
const token = (sequence: number) => `bt1.${RUN_ID}.${sequence}.Qm9uY2VOb25jZU5vbmNlTg`;

/** A store holding one run whose history grows as the test commits records. */
function fakeStore() {
  const history: HistoryRecord[] = [];
  const store: Pick<RunStore, 'getRun'> = {
    getRun: async () => ({ run: { runId: RUN_ID } as RunRecord, history: [...history] }),
  };
  return { store, history };
}

const stamp = (sequence: number) => ({ elapsedMs: sequence * 100, pipelineMs: sequence * 31_000 });

/** The events of one plain continuation job that committed `entries` and reported progress. */
function continuationJob(sequence: number, summary: string): TimelineEvent[] {
  const jobId = `job-${sequence}`;
  const invocationId = `j${sequence}-d1-a1`;
  const ref = { jobId, sequence, invocationId, delivery: 1, attempt: 1 };
  return [
    {
      type: 'job-created',
      jobId,
      sequence,
      continuationToken: token(sequence - 1),
      ...stamp(sequence),
    },
    {
      type: 'invocation-started',
      ...ref,
      awsRequestId: `r${sequence}`,
      containerId: 'c1',
      coldStart: false,
      ...stamp(sequence),
    },
    {
      type: 'handler-output',
      containerId: 'c1',
      invocationId,
      stream: 'stdout',
      text: JSON.stringify({ level: 'INFO', message: 'committed' }),
      ...stamp(sequence),
    },
    {
      type: 'report-received',
      jobId,
      sequence,
      operation: 'PutJobSuccessResult',
      request: {
        jobId,
        continuationToken: token(sequence),
        executionDetails: { summary, percentComplete: 50, externalExecutionId: RUN_ID },
      },
      accepted: true,
      answered: true,
      ...stamp(sequence),
    },
    {
      type: 'invocation-ended',
      ...ref,
      value: { kind: 'reported', jobId, runId: RUN_ID, stepsRun: 0, outcome: { kind: 'continue' } },
      ...stamp(sequence),
    },
  ];
}

describe('TimelineDisplay', () => {
  it('folds continuation jobs that came before the wait was over, and shows the rest in full', async () => {
    const { store, history } = fakeStore();
    let out = '';
    const display = new TimelineDisplay({ out: { write: (text: string) => (out += text) }, store });
    const commit = (sequence: number, entry: HistoryRecord['entries'][number]) =>
      history.push({
        runId: RUN_ID,
        jobSeq: sequence - 1,
        jobId: `job-${sequence}`,
        startedAt: 0,
        committedAt: 0,
        entries: [entry],
      });
    const early = {
      at: 0,
      step: 'poll',
      attempt: 1,
      outcome: 'resume-later',
      detail: 'resumes at T',
    };
    // Jobs 2–5 only find the run not due yet; job 6 polls again.
    for (let sequence = 2; sequence <= 5; sequence += 1) {
      commit(sequence, early);
      for (const event of continuationJob(sequence, 'poll 1')) display.onEvent(event);
    }
    commit(6, { at: 0, step: 'poll', attempt: 1, outcome: 'wait', detail: '40 s: poll 2' });
    for (const event of continuationJob(6, 'poll 2')) display.onEvent(event);
    await display.drain();

    const lines = out.split('\n').map((line) => line.slice(20).trimEnd());
    expect(lines).toEqual([
      'job 2       ⋯ came before the wait was over: no step ran (resumes at T);',
      '            Baton handed the run on at once with a new continuation token (more such jobs are counted, not shown)',
      'jobs        ⋯ jobs 3–5 (3 more) came before the wait was over too;',
      '            each handed the run on at once',
      'job 6       created (job-6) with continuation token bt1.5f0c2a9e… (job 6, 61 chars)',
      'j6-d1-a1    ▶ invoked in container c1',
      'job 6       · poll → wait 40 s: poll 2',
      'job 6       ◀ PutJobSuccessResult accepted',
      '            [██████████░░░░░░░░░░]  50%  poll 2',
      '            continuation token bt1.5f0c2a9e… (job 7, 61 chars)',
      'j6-d1-a1    ■ returned: committed, then reported progress with a continuation token (0 steps run)',
      '',
    ]);
    // Nothing of the token past the run id is ever printed.
    expect(out).not.toContain('Qm9uY2');
  });

  it('shows every job in full when folding is off, and the handler logs with handlerLogs', async () => {
    const { store, history } = fakeStore();
    let out = '';
    const display = new TimelineDisplay({
      out: { write: (text: string) => (out += text) },
      store,
      collapseEarlyJobs: false,
      handlerLogs: true,
    });
    history.push({
      runId: RUN_ID,
      jobSeq: 1,
      jobId: 'job-2',
      startedAt: 0,
      committedAt: 0,
      entries: [
        { at: 0, step: 'poll', attempt: 1, outcome: 'resume-later', detail: 'resumes at T' },
      ],
    });
    for (const event of continuationJob(2, 'poll 1')) display.onEvent(event);
    await display.drain();
    expect(out).toContain('job 2       · poll: not due yet, resumes at T');
    expect(out).toContain('j2-d1-a1    log INFO committed');
    expect(out).not.toContain('⋯');
  });
});
