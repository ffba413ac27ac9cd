import { InMemoryRunStore } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { defineJob } from '../job/define-job.js';
import { succeed } from '../job/transitions.js';
import type { Outcome } from '../store/run-record.js';
import { runIdForJob } from '../token/continuation-token.js';
import type { Clock } from './clock.js';
import { jobEvent, quietLogger } from './engine-test-doubles.js';
import type { InvocationResult } from './invocation-result.js';
import { type Reporter, ReportStatus } from './ports/reporter.js';
import { runInvocation } from './run-invocation.js';

// Who reports a committed outcome: the committer until its invocation ends,
// or Lambda's retry of it; never a concurrent duplicate.

const START = 1_800_000_000_000;
const INVOCATION_MS = 60_000;

class ManualClock implements Clock {
  public time = START;
  public now = () => this.time;
  public sleep = async (ms: number) => {
    this.time += ms;
  };
}

/** A reporter that answers each report with `answer(outcome)` and keeps what it was sent. */
class ScriptedReporter implements Reporter {
  public readonly sent: Outcome[] = [];
  public answer: (outcome: Outcome) => Promise<ReportStatus> = async () => ReportStatus.Sent;

  public async report(outcome: Outcome): Promise<ReportStatus> {
    this.sent.push(outcome);
    return this.answer(outcome);
  }
}

function setup(retryTakeoverAfterMs = 50_000) {
  let steps = 0;
  const job = defineJob({
    name: 'unit',
    initialState: {},
    firstStep: 'only',
    steps: {
      only: () => {
        steps += 1;
        return succeed({ summary: 'done' });
      },
    },
  });
  const store = new InMemoryRunStore();
  const reporter = new ScriptedReporter();
  const clock = new ManualClock();
  const invoke = (requestId: string): Promise<InvocationResult> =>
    runInvocation(
      job,
      jobEvent('job-0'),
      { getRemainingTimeInMillis: () => INVOCATION_MS, awsRequestId: requestId },
      { store, reporter, logger: quietLogger, clock, retryTakeoverAfterMs },
    );
  const run = async () => (await store.getRun(runIdForJob('job-0')))?.run;
  return { store, reporter, clock, invoke, run, steps: () => steps };
}

describe('the report of a committed outcome', () => {
  it('is left to the committer by a duplicate while the committer lives, and re-sent after', async () => {
    const t = setup();
    const first = await t.invoke('req-1');
    expect(first).toMatchObject({ kind: 'reported', reportStatus: 'sent' });
    expect(await t.run()).toMatchObject({ reportRequestId: 'req-1', reportUntil: START + 60_000 });
    // A duplicate with another request id: the committer may be reporting still.
    t.clock.time += 1_000;
    expect(await t.invoke('req-2')).toMatchObject({ kind: 'in-progress', stepsRun: 0 });
    expect(t.reporter.sent).toHaveLength(1);
    // Once the committer's invocation is over, the outcome is re-sent.
    t.clock.time = START + INVOCATION_MS + 1;
    expect(await t.invoke('req-2')).toMatchObject({ kind: 'resent', outcome: first.outcome });
    expect(t.reporter.sent).toEqual([first.outcome, first.outcome]);
    expect(t.steps()).toBe(1);
  });

  it("is taken over by Lambda's retry of the committer, which re-sends it", async () => {
    const t = setup();
    // The committer's report fails: it throws, and Lambda retries its request.
    t.reporter.answer = async () => {
      throw Object.assign(new Error('CodePipeline unavailable'), { name: 'ReportError' });
    };
    await expect(t.invoke('req-1')).rejects.toThrow('CodePipeline unavailable');
    t.reporter.answer = async () => ReportStatus.Sent;
    // Too soon to be Lambda's retry: taken for a duplicate of a live delivery.
    t.clock.time += 5_000;
    expect(await t.invoke('req-1')).toMatchObject({ kind: 'in-progress' });
    t.clock.time += 55_000;
    const retry = await t.invoke('req-1');
    expect(retry).toMatchObject({ kind: 'resent', reportStatus: 'sent', stepsRun: 0 });
    const run = await t.run();
    expect(run?.reportOwner).toBeDefined();
    expect(run).toMatchObject({ status: 'succeeded', reportUntil: t.clock.time + INVOCATION_MS });
    expect(t.steps()).toBe(1);
  });

  it('marks the run abandoned when CodePipeline refuses the committer its first report', async () => {
    const t = setup(0);
    t.reporter.answer = async () => ReportStatus.Refused;
    expect(await t.invoke('req-1')).toMatchObject({ kind: 'reported', reportStatus: 'refused' });
    expect(await t.run()).toMatchObject({ status: 'abandoned', abandonReason: 'job-refused' });
  });

  it("is not abandoned when a retry took the report over and CodePipeline took the retry's first", async () => {
    const t = setup(0);
    let retry: InvocationResult | undefined;
    // Between the committer's commit and its report, a delivery of the same
    // request (a retry, with take-over at once) re-sends the outcome, and
    // CodePipeline accepts it; the committer's own report is then refused.
    t.reporter.answer = async () => {
      t.reporter.answer = async () => ReportStatus.Sent;
      retry = await t.invoke('req-1');
      return ReportStatus.Refused;
    };
    const committer = await t.invoke('req-1');
    expect(retry).toMatchObject({ kind: 'resent', reportStatus: 'sent', stepsRun: 0 });
    expect(committer).toMatchObject({ kind: 'reported', reportStatus: 'refused' });
    expect(t.reporter.sent.map((o) => o.kind)).toEqual(['succeed', 'succeed']);
    const run = await t.run();
    expect(run?.status).toBe('succeeded');
    expect(run?.abandonReason).toBeUndefined();
    expect(t.steps()).toBe(1);
  });
});
