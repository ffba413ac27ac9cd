import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../store/run-record.js';
import { commitRequest } from './commit.js';
import { InvocationHistory } from './history.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const run: RunRecord = {
  runId: 'r1',
  jobName: 'j',
  firstJobId: 'job-0',
  status: 'running',
  step: 'poll',
  nextJobSeq: 2,
  nonce: 'N'.repeat(22),
  attempt: 1,
  visit: 1,
  createdAt: 0,
  updatedAt: 0,
  deadlineAt: 1e12,
  historyCount: 2,
  expiresAt: 1,
  recentJobIds: ['job-0', 'job-1'],
};
const base = {
  run,
  jobId: 'job-2',
  owner: 'me',
  requestId: 'req',
  startedAt: 1000,
  now: 86_400_000,
  reportUntil: 86_460_000,
  secrets: [SECRET],
};

describe('commitRequest', () => {
  it('hands the run on: token of the next jobSeq, progress as the summary, running', () => {
    const history = new InvocationHistory();
    history.record({ step: 'poll', attempt: 1, visit: 1 }, { outcome: 'wait', detail: '30 s' }, 5);
    const request = commitRequest({
      ...base,
      cursor: {
        step: 'poll',
        attempt: 1,
        visit: 1,
        resumeAt: 9,
        progress: { percentComplete: 40, summary: 'half' },
        stateJson: '{}',
      },
      history,
    });
    expect(request).toMatchObject({
      jobSeq: 2,
      nextJobSeq: 3,
      status: 'running',
      resumeAt: 9,
      recentJobIds: ['job-0', 'job-1', 'job-2'],
      expiresAt: 86_400 + 30 * 86_400,
      // This invocation reports what it commits, until its end.
      reporting: { until: 86_460_000, requestId: 'req' },
      outcome: {
        kind: 'continue',
        jobId: 'job-2',
        jobSeq: 2,
        continuationToken: `bt1.r1.3.${'N'.repeat(22)}`,
        percentComplete: 40,
        summary: 'half',
      },
      history: {
        jobSeq: 2,
        jobId: 'job-2',
        requestId: 'req',
        startedAt: 1000,
        committedAt: 86_400_000,
      },
    });
    expect(request.history.entries).toEqual([
      { at: 5, step: 'poll', attempt: 1, outcome: 'wait', detail: '30 s' },
    ]);
  });

  it('says which step runs next when there is no progress to show', () => {
    const request = commitRequest({
      ...base,
      cursor: { step: 'deploy', attempt: 1, visit: 1 },
      history: new InvocationHistory(),
    });
    expect(request.outcome).toMatchObject({ summary: "running step 'deploy'" });
    expect(request.stateJson).toBeUndefined();
  });

  it('keeps nextJobSeq on a final outcome and sets the status from it', () => {
    const request = commitRequest({
      ...base,
      cursor: { step: 'poll', attempt: 1, visit: 1 },
      final: { kind: 'fail', jobId: 'job-2', jobSeq: 2, failureType: 'JobFailed', message: 'no' },
      history: new InvocationHistory(),
    });
    expect(request).toMatchObject({ nextJobSeq: 2, status: 'failed', outcome: { kind: 'fail' } });
  });

  it('cuts a long summary to 2048 characters after redacting it, so no piece of a secret is left at the cut', () => {
    // The secret straddles character 2048: cut first, its first part would stay.
    const summary = `${'x'.repeat(2040)}${SECRET}${'y'.repeat(500)}`;
    const request = commitRequest({
      ...base,
      cursor: { step: 'poll', attempt: 1, visit: 1 },
      final: { kind: 'succeed', jobId: 'job-2', jobSeq: 2, summary },
      history: new InvocationHistory(),
    });
    if (request.outcome.kind !== 'succeed') throw new Error('not a success');
    expect(request.outcome.summary).toHaveLength(2048);
    expect(request.outcome.summary).toMatch(/x\[REDACT…$/);
    expect(request.outcome.summary).not.toContain(SECRET.slice(0, 8));
  });

  it('removes the credentials from the outcome, the state, the progress and the history', () => {
    const history = new InvocationHistory();
    history.record(
      { step: 'poll', attempt: 1, visit: 1 },
      { outcome: 'error', detail: `denied ${SECRET}` },
      5,
    );
    const request = commitRequest({
      ...base,
      cursor: {
        step: 'poll',
        attempt: 1,
        visit: 1,
        progress: { summary: `as ${SECRET}` },
        stateJson: `{"k":"${SECRET}"}`,
      },
      history,
    });
    expect(JSON.stringify(request)).not.toContain(SECRET);
    expect(request.stateJson).toBe('{"k":"[REDACTED]"}');
  });
});
