import { InMemoryRunStore } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { defineJob } from '../job/define-job.js';
import { succeed } from '../job/transitions.js';
import {
  type InvocationObservation,
  noopObserver,
  type ObservedRunEnd,
  type RunObserver,
} from '../observe/run-observer.js';
import { runIdForJob } from '../token/continuation-token.js';
import { jobEvent, quietLogger, RecordingReporter } from './engine-test-doubles.js';
import { runInvocation } from './run-invocation.js';

// Crash accounting on the in-memory store: claims that no commit followed are
// counted on the run, told to the observer, and the crashLimit-th fails the run.

const NONCE = 'N'.repeat(22);

/** Counts what the engine tells an observer about crashes and run ends. */
function recordingObserver() {
  const seen = { crashes: 0, runEnds: [] as ObservedRunEnd[] };
  const base = noopObserver.invocation({ jobName: '', jobId: '' });
  const observer: RunObserver = {
    invocation: (): InvocationObservation => ({
      ...base,
      crashCounted: () => {
        seen.crashes += 1;
      },
      runEnded: (end) => {
        seen.runEnds.push(end.status);
      },
    }),
  };
  return { observer, seen };
}

function setup() {
  let now = 1_800_000_000_000;
  const calls = { work: 0 };
  const job = defineJob({
    name: 'crashy',
    initialState: {},
    firstStep: 'work',
    steps: {
      work: () => {
        calls.work += 1;
        return succeed({ summary: 'done' });
      },
    },
  });
  const store = new InMemoryRunStore();
  const reporter = new RecordingReporter();
  const { observer, seen } = recordingObserver();
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
  /**
   * An invocation that claims job `jobSeq` (its id `job-<jobSeq>`) and dies
   * before its commit; `replyInMs` sets the job's reply window on a first claim.
   */
  const dies = async (owner: string, options: { jobSeq?: number; replyInMs?: number } = {}) => {
    const jobSeq = options.jobSeq ?? 0;
    const claimed = await store.claim({
      runId: runIdForJob('job-0'),
      jobId: `job-${jobSeq}`,
      jobSeq,
      owner,
      requestId: owner,
      leaseUntil: now + 1000,
      now,
      ...(options.replyInMs === undefined ? {} : { replyBy: now + options.replyInMs }),
      ...(jobSeq > 0
        ? { nonce: NONCE }
        : {
            create: {
              jobName: 'crashy',
              firstStep: 'work',
              nonce: NONCE,
              deadlineAt: now + 1e9,
              expiresAt: 9e9,
            },
          }),
    });
    expect(claimed.claimed).toBe(true);
    now += 60_000; // its lease ends with it
  };
  /** Lambda's next attempt at job `jobSeq`, with the token of the last report. */
  const invoke = (jobSeq = 0) => {
    const last = reporter.sent.at(-1)?.outcome;
    const token = last?.kind === 'continue' ? last.continuationToken : undefined;
    return runInvocation(
      job,
      jobEvent(`job-${jobSeq}`, jobSeq > 0 ? token : undefined),
      { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'last' },
      { store, reporter, logger: quietLogger, clock, observer },
    );
  };
  const run = async () => (await store.getRun(runIdForJob('job-0')))?.run;
  return { calls, reporter, seen, dies, invoke, run, startedAt: now };
}

describe('crash accounting', () => {
  it('counts a claim that ended without a commit, runs the step, and clears the count on commit', async () => {
    const t = setup();
    await t.dies('first');
    expect((await t.run())?.unfinishedClaims).toBe(1);
    const result = await t.invoke();
    expect(result).toMatchObject({ kind: 'reported', outcome: { kind: 'succeed' } });
    expect(t.calls.work).toBe(1);
    expect(t.seen).toEqual({ crashes: 1, runEnds: ['succeeded'] });
    const run = await t.run();
    expect(run?.unfinishedClaims).toBeUndefined();
    expect(run?.unfinishedSince).toBeUndefined();
  });

  it('fails the run at the crash limit without running the step, and tells the observer', async () => {
    const t = setup();
    await t.dies('first');
    await t.dies('second');
    const result = await t.invoke();
    expect(result).toMatchObject({
      kind: 'reported',
      stepsRun: 0,
      outcome: {
        kind: 'fail',
        failureType: 'JobFailed',
        message: expect.stringMatching(
          /^step 'work' \(attempt 1\) was started by 2 invocations in a row since .* that ended without committing; none recorded an error.*\(crashLimit 3\)/,
        ),
      },
    });
    expect(t.calls.work).toBe(0);
    expect(t.reporter.sent).toHaveLength(1);
    expect(t.seen).toEqual({ crashes: 1, runEnds: ['failed'] });
    expect((await t.run())?.status).toBe('failed');
  });

  it('does not count a first claim', async () => {
    const t = setup();
    await t.invoke();
    expect(t.seen).toEqual({ crashes: 0, runEnds: ['succeeded'] });
  });

  it('keeps earlier crashes through a hand-on that ran no step, so they count in the next job', async () => {
    const t = setup();
    // The first attempt dies; Lambda's retry comes with the reply window nearly over.
    await t.dies('first', { replyInMs: 90_000 });
    const handedOn = await t.invoke();
    expect(handedOn).toMatchObject({
      kind: 'reported',
      stepsRun: 0,
      outcome: { kind: 'continue' },
    });
    const carried = await t.run();
    expect(carried).toMatchObject({
      unfinishedClaims: 1,
      carriedClaims: 1,
      unfinishedSince: t.startedAt,
    });
    // The next job's first attempt runs the step and dies too: the crash
    // limit is reached across the two jobs.
    await t.dies('next', { jobSeq: 1 });
    expect((await t.run())?.unfinishedClaims).toBe(2);
    const result = await t.invoke(1);
    expect(result).toMatchObject({
      kind: 'reported',
      stepsRun: 0,
      outcome: {
        kind: 'fail',
        failureType: 'JobFailed',
        message: expect.stringContaining(
          `step 'work' (attempt 1) was started by 2 invocations in a row since ${new Date(t.startedAt).toISOString()}`,
        ),
      },
    });
    expect(t.calls.work).toBe(0);
    // Each death is counted once, by the claim after it.
    expect(t.seen).toEqual({ crashes: 2, runEnds: ['failed'] });
  });

  it('clears the crashes at a commit after a step, in a later job too', async () => {
    const t = setup();
    await t.dies('first', { replyInMs: 90_000 });
    await t.invoke();
    const result = await t.invoke(1);
    expect(result).toMatchObject({ kind: 'reported', stepsRun: 1, outcome: { kind: 'succeed' } });
    const run = await t.run();
    expect(run?.unfinishedClaims).toBeUndefined();
    expect(run?.unfinishedSince).toBeUndefined();
    expect(run?.carriedClaims).toBeUndefined();
    expect(t.seen.crashes).toBe(1);
  });
});
