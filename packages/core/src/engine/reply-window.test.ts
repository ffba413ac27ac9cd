import { InMemoryRunStore } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { defineJob } from '../job/define-job.js';
import { succeed, wait } from '../job/transitions.js';
import { runIdForJob } from '../token/continuation-token.js';
import { type InvocationBudget, REPLY_WINDOW_MARGIN_MS, withinReplyWindow } from './budget.js';
import { jobEvent, quietLogger, RecordingReporter } from './engine-test-doubles.js';
import { runInvocation } from './run-invocation.js';

// CodePipeline's 20-minute reply window, on the in-memory store with a manual clock.

const MINUTE = 60_000;
const WINDOW = 20 * MINUTE;
const FUNCTION_TIMEOUT = 15 * MINUTE;

function setup() {
  const t0 = 1_800_000_000_000;
  let now = t0;
  const seen: number[] = [];
  const job = defineJob({
    name: 'window',
    initialState: { polls: 0 },
    firstStep: 'deploy',
    maxInlineWaitSeconds: 0,
    steps: {
      deploy: ({ remainingTimeMs, state }) => {
        seen.push(remainingTimeMs());
        return state.polls === 0 ? wait({ seconds: 1, state: { polls: 1 } }) : succeed();
      },
    },
  });
  const store = new InMemoryRunStore();
  const reporter = new RecordingReporter();
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
  const invoke = (e: unknown, requestId: string) =>
    runInvocation(
      job,
      e,
      { getRemainingTimeInMillis: () => FUNCTION_TIMEOUT, awsRequestId: requestId },
      { store, reporter, logger: quietLogger, clock },
    );
  /** Lambda's first attempt claims the job and dies at `atMinute`. */
  const firstAttemptDies = async (atMinute: number) => {
    await store.claim({
      runId: runIdForJob('job-1'),
      jobId: 'job-1',
      jobSeq: 0,
      owner: 'dead',
      requestId: 'req-1',
      leaseUntil: now + FUNCTION_TIMEOUT,
      now,
      replyBy: now + WINDOW,
      create: {
        jobName: 'window',
        firstStep: 'deploy',
        nonce: 'N'.repeat(22),
        deadlineAt: now + 1e9,
        expiresAt: 9e9,
      },
    });
    now = t0 + atMinute * MINUTE;
  };
  const run = async () => (await store.getRun(runIdForJob('job-1'))) ?? undefined;
  return {
    t0,
    seen,
    reporter,
    invoke,
    firstAttemptDies,
    run,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("the job's reply window", () => {
  it("is stored by the job's first claim, and each continuation job gets its own", async () => {
    const t = setup();
    const first = await t.invoke(jobEvent('job-1'), 'req-1');
    expect(first.outcome?.kind).toBe('continue');
    // The hand-on clears it: the next job's window starts at its own claim.
    expect((await t.run())?.run.replyBy).toBeUndefined();
    t.advance(10 * MINUTE);
    const token = first.outcome?.kind === 'continue' ? first.outcome.continuationToken : '';
    await t.invoke(jobEvent('job-2', token), 'req-2');
    expect((await t.run())?.run.replyBy).toBe(t.t0 + 10 * MINUTE + WINDOW);
    // Both steps had the invocation's whole budget (15 minutes less 3 s).
    expect(t.seen).toEqual([FUNCTION_TIMEOUT - 3000, FUNCTION_TIMEOUT - 3000]);
  });

  it("ends a Lambda retry's step budget early enough to commit and report inside the window", async () => {
    const t = setup();
    await t.firstAttemptDies(11);
    const result = await t.invoke(jobEvent('job-1'), 'req-1');
    expect(result).toMatchObject({ kind: 'reported', stepsRun: 1 });
    // 20 - 11 minutes, less the margin and the invocation's reserve (3 s):
    // not the 15 minutes Lambda gave the retry.
    expect(t.seen).toEqual([9 * MINUTE - REPLY_WINDOW_MARGIN_MS - 3000]);
  });

  it('a retry with no time left hands the run on at once, without a step', async () => {
    const t = setup();
    await t.firstAttemptDies(19);
    const result = await t.invoke(jobEvent('job-1'), 'req-1');
    expect(result).toMatchObject({
      kind: 'reported',
      stepsRun: 0,
      outcome: { kind: 'continue', jobId: 'job-1' },
    });
    expect(t.seen).toEqual([]);
    const stored = await t.run();
    expect(stored?.run).toMatchObject({ status: 'running', step: 'deploy', attempt: 1 });
    // The dead attempt's claim stays counted: the hand-on ran no step.
    expect(stored?.run.unfinishedClaims).toBe(1);
    expect(stored?.history.at(-1)?.entries).toEqual([
      expect.objectContaining({
        outcome: 'handed-on',
        detail: "no time left in the job's reply window: handed on without a step",
      }),
    ]);
  });
});

describe('withinReplyWindow', () => {
  const budget: InvocationBudget = {
    startedAt: 0,
    invocationDeadline: FUNCTION_TIMEOUT,
    budgetEnd: FUNCTION_TIMEOUT - 3000,
    minStepBudgetMs: 1000,
    reportGuardMs: 1000,
    takeoverAfterMs: 50_000,
    heartbeatMs: 25_000,
  };

  it('leaves a budget that ends well inside the window as it is', () => {
    expect(withinReplyWindow(budget, WINDOW)).toBe(budget);
    expect(withinReplyWindow(budget, undefined)).toBe(budget);
  });

  it("moves the budget's end before the window's, keeping the invocation's reserve", () => {
    expect(withinReplyWindow(budget, 10 * MINUTE)).toEqual({
      ...budget,
      budgetEnd: 10 * MINUTE - REPLY_WINDOW_MARGIN_MS - 3000,
      cutByReplyWindow: true,
    });
  });
});
