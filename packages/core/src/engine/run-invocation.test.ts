import { InMemoryRunStore } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { defineJob } from '../job/define-job.js';
import { goTo, succeed, wait } from '../job/transitions.js';
import type { Outcome } from '../store/run-record.js';
import { runIdForJob } from '../token/continuation-token.js';
import type { Clock } from './clock.js';
import { jobEvent, quietLogger, RecordingReporter } from './engine-test-doubles.js';
import { runInvocation } from './run-invocation.js';

// The protocol's decisions, on the in-memory store: no DynamoDB, no CodePipeline.

class ManualClock implements Clock {
  public time = 1_800_000_000_000;
  public now = () => this.time;
  public sleep = async (ms: number) => {
    this.time += ms;
  };
}

function setup() {
  const calls = { start: 0, poll: 0 };
  const job = defineJob({
    name: 'unit',
    initialState: { polls: 0 },
    firstStep: 'start',
    maxInlineWaitSeconds: 0,
    steps: {
      start: () => {
        calls.start += 1;
        return goTo('poll');
      },
      poll: ({ state }) => {
        calls.poll += 1;
        const polls = state.polls as number;
        return polls >= 1
          ? succeed({ summary: 'done' })
          : wait({ seconds: 60, summary: 'polling', state: { polls: polls + 1 } });
      },
    },
  });
  const store = new InMemoryRunStore();
  const reporter = new RecordingReporter();
  const clock = new ManualClock();
  const invoke = (e: unknown, requestId = 'req') =>
    runInvocation(
      job,
      e,
      { getRemainingTimeInMillis: () => 60_000, awsRequestId: requestId },
      { store, reporter, logger: quietLogger, clock },
    );
  return { job, store, reporter, clock, calls, invoke };
}

function tokenOf(outcome: Outcome | undefined): string {
  if (outcome?.kind !== 'continue')
    throw new Error(`not a continuation: ${JSON.stringify(outcome)}`);
  return outcome.continuationToken;
}

describe('runInvocation on the in-memory store', () => {
  it('runs, hands on through a token naming jobSeq 1, and finishes', async () => {
    const t = setup();
    const first = await t.invoke(jobEvent('job-0'));
    expect(first).toMatchObject({
      kind: 'reported',
      stepsRun: 2,
      outcome: { kind: 'continue', jobSeq: 0, summary: 'polling' },
    });
    expect(tokenOf(first.outcome)).toMatch(new RegExp(`^bt1\\.${runIdForJob('job-0')}\\.1\\.`));
    t.clock.time += 61_000;
    const second = await t.invoke(jobEvent('job-1', tokenOf(first.outcome)));
    expect(second).toMatchObject({
      kind: 'reported',
      outcome: { kind: 'succeed', jobSeq: 1, summary: 'done' },
    });
    const stored = await t.store.getRun(runIdForJob('job-0'));
    expect(stored?.run).toMatchObject({
      status: 'succeeded',
      nextJobSeq: 1,
      progress: { percentComplete: 100 },
    });
    expect(stored?.history.map((h) => h.jobSeq)).toEqual([0, 1]);
    expect(t.calls).toEqual({ start: 1, poll: 2 });
  });

  it('re-sends a committed outcome without running a step', async () => {
    const t = setup();
    const first = await t.invoke(jobEvent('job-0'));
    t.clock.time += 61_000; // the committer's invocation is over
    const again = await t.invoke(jobEvent('job-0'));
    expect(again).toMatchObject({ kind: 'resent', stepsRun: 0, outcome: first.outcome });
    expect(t.calls.start).toBe(1);
    expect(t.reporter.sent).toHaveLength(2);
  });

  it('re-sends a committed outcome to a retry whose parameters a stricter deployment refuses', async () => {
    const t = setup();
    const first = await t.invoke(jobEvent('job-0'));
    expect(first.outcome?.kind).toBe('continue');
    // A deployment whose parameter schema now requires a field this job never had.
    const strict = defineJob({
      name: 'unit',
      params: {
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: (value: unknown) =>
            value && typeof value === 'object' && 'region' in value
              ? { value: value as { region: string } }
              : { issues: [{ message: 'region is required', path: ['region'] }] },
        },
      },
      initialState: {},
      firstStep: 'start',
      steps: { start: () => succeed() },
    });
    const invokeStrict = (jobId: string) =>
      runInvocation(
        strict,
        jobEvent(jobId),
        { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'retry' },
        { store: t.store, reporter: t.reporter, logger: quietLogger, clock: t.clock },
      );
    // Lambda's retry of the committed job: the same answer, no step, no ConfigurationError.
    t.clock.time += 61_000;
    expect(await invokeStrict('job-0')).toMatchObject({
      kind: 'resent',
      stepsRun: 0,
      outcome: first.outcome,
    });
    expect(t.reporter.sent.map((s) => s.outcome)).toEqual([first.outcome, first.outcome]);
    // A job never answered is still refused, naming the field.
    expect(await invokeStrict('job-new')).toMatchObject({
      kind: 'rejected',
      outcome: { failureType: 'ConfigurationError', message: expect.stringMatching(/region/) },
    });
  });

  it('returns quietly for a stale redelivery and rejects a reused token', async () => {
    const t = setup();
    const first = await t.invoke(jobEvent('job-0'));
    t.clock.time += 10_000; // the wait is not over: the next invocation only hands on
    const second = await t.invoke(jobEvent('job-1', tokenOf(first.outcome)));
    expect(second).toMatchObject({ kind: 'reported', stepsRun: 0 });
    await t.invoke(jobEvent('job-2', tokenOf(second.outcome)));
    expect(await t.invoke(jobEvent('job-1', tokenOf(first.outcome)))).toMatchObject({
      kind: 'stale',
    });
    expect(await t.invoke(jobEvent('job-x', tokenOf(first.outcome)))).toMatchObject({
      kind: 'rejected',
      outcome: {
        failureType: 'ConfigurationError',
        message: expect.stringMatching(/already used/),
      },
    });
  });

  it('rejects a token the store does not know, naming why', async () => {
    const t = setup();
    const token = `bt1.${'a'.repeat(32)}.1.${'N'.repeat(22)}`;
    expect(await t.invoke(jobEvent('job-1', token))).toMatchObject({
      kind: 'rejected',
      outcome: { message: expect.stringMatching(/names a run this table does not hold/) },
    });
  });

  it('leaves a live lease alone and takes over from a dead attempt of the same request', async () => {
    const t = setup();
    const runId = runIdForJob('job-0');
    await t.store.claim({
      runId,
      jobId: 'job-0',
      jobSeq: 0,
      owner: 'dead',
      requestId: 'req-1',
      leaseUntil: t.clock.time + 600_000,
      now: t.clock.time,
      create: {
        jobName: 'unit',
        firstStep: 'start',
        nonce: 'N'.repeat(22),
        deadlineAt: t.clock.time + 1e9,
        expiresAt: 9e9,
      },
    });
    expect(await t.invoke(jobEvent('job-0'), 'req-2')).toMatchObject({ kind: 'in-progress' });
    t.clock.time += 5_000;
    expect(await t.invoke(jobEvent('job-0'), 'req-1')).toMatchObject({ kind: 'in-progress' });
    t.clock.time += 60_000;
    expect(await t.invoke(jobEvent('job-0'), 'req-1')).toMatchObject({ kind: 'reported' });
    expect(t.calls.start).toBe(1);
  });

  it('reports nothing when the lease was taken over before the commit', async () => {
    const t = setup();
    const store = t.store;
    const job = defineJob({
      name: 'unit',
      initialState: {},
      firstStep: 'a',
      steps: {
        a: async () => {
          // Another invocation takes the run meanwhile (its lease ran out, say).
          const { run } = (await store.getRun(runIdForJob('job-0'))) ?? {};
          if (run?.leaseOwner) await store.releaseLease(run.runId, run.leaseOwner);
          return succeed();
        },
      },
    });
    const result = await runInvocation(
      job,
      jobEvent('job-0'),
      { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'r' },
      { store, reporter: t.reporter, logger: quietLogger, clock: t.clock },
    );
    expect(result).toMatchObject({ kind: 'lease-lost', stepsRun: 1 });
    expect(t.reporter.sent).toEqual([]);
  });
});
