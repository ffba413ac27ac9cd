/**
 * One fixed schedule per boundary, so each crash point and each kind of lost
 * answer is played on every run (the random schedules reach them by chance).
 * Each must keep every invariant of `invariants.ts`, and the fault must have
 * struck where it was aimed.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describePlayed } from './describe-played.js';
import { type ReliabilityEnv, startReliabilityEnv } from './reliability-env.js';
import { playSchedule } from './run-schedule.js';
import { LATE_RETRY_DELAYS_MS, type Schedule, type ScheduleMode } from './schedule.js';

let env: ReliabilityEnv;
beforeAll(async () => {
  env = await startReliabilityEnv(inject('dynamodbEndpoint'));
});
afterAll(async () => {
  await env?.stop();
});

// A wait no invocation can outlast, so every case has a job 2 to aim at
// (a wait of a few ms may already be over when the step returns, and then the
// same invocation simply goes on).
const plan = { polls: 1, waitMs: 1000, faults: [] };
/**
 * Enough jobs for a history flush: the claim of the fifth job finds four
 * history records pending in the run item and writes them to a history item
 * while its steps run; its commit then drops them from the run item.
 */
const flushPlan = { polls: 5, waitMs: 1000, faults: [] };
const FLUSHING_JOB = 5;
const schedule = (s: Partial<Schedule>): Schedule => ({
  plan,
  pipeline: [],
  dynamodb: [],
  seed: 1,
  ...s,
});

interface Case {
  name: string;
  mode: ScheduleMode;
  schedule: Schedule;
  /** A fault of this kind must have been injected. */
  injected: string;
  /** How many times it must have been injected, when that is part of what the row shows. */
  injectedTimes?: number;
  status: 'Succeeded' | 'Failed';
  /** What the failure reported must say. */
  failure?: RegExp;
  /** The committed history hands the run on once with a detail like this. */
  handedOn?: RegExp;
  /** A job (by sequence) that must have taken one invocation: no Lambda retry. */
  oneInvocation?: number;
}

const cases: Case[] = [
  {
    name: 'crash right before the claim',
    mode: 'worker',
    schedule: schedule({
      dynamodb: [{ sequence: 1, op: 'claim', nth: 1, times: 1, kind: 'crash-before' }],
    }),
    injected: 'dynamodb:crash-before',
    status: 'Succeeded',
  },
  {
    name: 'crash right after the claim (the lease is held by a dead invocation)',
    mode: 'worker',
    schedule: schedule({
      dynamodb: [{ sequence: 2, op: 'claim', nth: 1, times: 1, kind: 'crash-after' }],
    }),
    injected: 'dynamodb:crash-after',
    status: 'Succeeded',
  },
  {
    name: "the retry takes the dead attempt's lease over, and that claim's answer is lost",
    mode: 'worker',
    schedule: schedule({
      dynamodb: [
        { sequence: 1, op: 'claim', nth: 1, times: 1, kind: 'crash-after' },
        // Claim 2 is Lambda's retry a minute later: the dead attempt's lease is
        // past the take-over age by then, so that claim takes it over.
        { sequence: 1, op: 'claim', nth: 2, times: 1, kind: 'applied-lost' },
      ],
    }),
    injected: 'dynamodb:applied-lost',
    status: 'Succeeded',
  },
  {
    name: 'crash inside a step',
    mode: 'worker',
    schedule: schedule({
      plan: { ...plan, faults: [{ tick: 1, attempt: 1, kind: 'crash', times: 1 }] },
    }),
    injected: 'step:crash',
    status: 'Succeeded',
  },
  {
    name: 'crash right before the commit',
    mode: 'worker',
    schedule: schedule({
      dynamodb: [{ sequence: 1, op: 'commit', nth: 1, times: 1, kind: 'crash-before' }],
    }),
    injected: 'dynamodb:crash-before',
    status: 'Succeeded',
  },
  {
    name: 'crash right after the commit, before the report',
    mode: 'worker',
    schedule: schedule({
      dynamodb: [{ sequence: 2, op: 'commit', nth: 1, times: 1, kind: 'crash-after' }],
    }),
    injected: 'dynamodb:crash-after',
    status: 'Succeeded',
  },
  {
    name: 'crash right after a commit, before a history flush (its records stay in the run item)',
    mode: 'worker',
    schedule: schedule({
      plan: flushPlan,
      dynamodb: [
        { sequence: FLUSHING_JOB - 1, op: 'commit', nth: 1, times: 1, kind: 'crash-after' },
      ],
    }),
    injected: 'dynamodb:crash-after',
    status: 'Succeeded',
  },
  {
    name: 'crash right before a history flush',
    mode: 'worker',
    schedule: schedule({
      plan: flushPlan,
      dynamodb: [{ sequence: FLUSHING_JOB, op: 'flush', nth: 1, times: 1, kind: 'crash-before' }],
    }),
    injected: 'dynamodb:crash-before',
    status: 'Succeeded',
  },
  {
    name: 'crash right after a history flush, before the commit that drops the flushed records',
    mode: 'worker',
    schedule: schedule({
      plan: flushPlan,
      dynamodb: [{ sequence: FLUSHING_JOB, op: 'flush', nth: 1, times: 1, kind: 'crash-after' }],
    }),
    injected: 'dynamodb:crash-after',
    status: 'Succeeded',
  },
  {
    name: 'crash when the report arrives (it is dropped)',
    mode: 'worker',
    schedule: schedule({
      pipeline: [{ kind: 'cut-off', at: 'report-received', when: { sequence: 1, attempt: 1 } }],
    }),
    injected: 'pipeline:cut-off',
    status: 'Succeeded',
  },
  {
    name: 'crash right after the report was applied',
    mode: 'worker',
    schedule: schedule({
      pipeline: [{ kind: 'cut-off', at: 'report-applied', when: { sequence: 2, attempt: 1 } }],
    }),
    injected: 'pipeline:cut-off',
    status: 'Succeeded',
  },
  {
    name: "every attempt crashes inside the step: Lambda's last retry fails the job (crash limit) without running it",
    mode: 'worker',
    schedule: schedule({
      plan: { ...plan, faults: [{ tick: 2, attempt: 1, kind: 'crash', times: 3 }] },
    }),
    injected: 'step:crash',
    // Two attempts die in the step; the third claim is the crash limit's.
    injectedTimes: 2,
    status: 'Failed',
    failure:
      /^step 'poll' \(attempt 1\) was started by 2 invocations in a row [\s\S]*\(crashLimit 3\)/,
  },
  {
    name: "the commit is refused for a transaction conflict through two whole deliveries: Lambda's last retry fails the job (crash limit), naming the store error",
    mode: 'in-process',
    schedule: schedule({
      // Every try of the commit in the job's first two invocations, however many
      // the retries inside each invocation make.
      dynamodb: [
        { sequence: 2, op: 'commit', nth: 1, times: 1000, kind: 'conflict', invocations: 2 },
      ],
    }),
    injected: 'dynamodb:conflict',
    status: 'Failed',
    // A thrown transient error counts like a death: a third throw would leave
    // the job without a result, Lambda retrying no more.
    failure:
      /^step 'poll' \(attempt 1\) was started by 2 invocations in a row [\s\S]*the last error recorded: StoreError: commit of run \w+ failed: TransactionConflictException[\s\S]*\(crashLimit 3\)/,
  },
  {
    name: 'the claim is applied but its answer is lost',
    mode: 'in-process',
    schedule: schedule({
      dynamodb: [{ sequence: 2, op: 'claim', nth: 1, times: 1, kind: 'applied-lost' }],
    }),
    injected: 'dynamodb:applied-lost',
    status: 'Succeeded',
  },
  {
    name: 'the commit is applied but its answer is lost',
    mode: 'in-process',
    schedule: schedule({
      dynamodb: [{ sequence: 1, op: 'commit', nth: 1, times: 1, kind: 'applied-lost' }],
    }),
    injected: 'dynamodb:applied-lost',
    status: 'Succeeded',
  },
  {
    name: "the commit is throttled past the SDK's retries (Lambda retries the invocation)",
    mode: 'in-process',
    schedule: schedule({
      dynamodb: [{ sequence: 1, op: 'commit', nth: 1, times: 3, kind: 'throttle' }],
    }),
    injected: 'dynamodb:throttle',
    status: 'Succeeded',
  },
  {
    name: 'the commit is refused for a transaction conflict: retried in the same invocation',
    mode: 'in-process',
    schedule: schedule({
      dynamodb: [{ sequence: 2, op: 'commit', nth: 1, times: 1, kind: 'conflict' }],
    }),
    injected: 'dynamodb:conflict',
    status: 'Succeeded',
    oneInvocation: 2,
  },
  {
    name: 'a step overruns what is left of the budget after another step: handed on as the same attempt',
    mode: 'in-process',
    // `finish` runs after the last poll, in job 3.
    schedule: schedule({ plan: { ...plan, faults: [{ tick: 3, attempt: 1, kind: 'overrun' }] } }),
    injected: 'step:overrun',
    injectedTimes: 1,
    status: 'Succeeded',
    handedOn: /^cut off by the invocation's budget; handed on as attempt 1$/,
  },
  {
    name: 'a step overruns every budget: each attempt with a whole budget is charged, then the job fails',
    mode: 'in-process',
    schedule: schedule({
      plan: {
        ...plan,
        // The last poll: the first step of job 3 and of its two retries.
        faults: [1, 2, 3].map((attempt) => ({ tick: 2, attempt, kind: 'slow' as const })),
      },
    }),
    injected: 'step:slow',
    injectedTimes: 3,
    status: 'Failed',
    failure:
      /^step 'poll' failed after 3 attempts: StepTimeoutError: step 'poll' did not finish within a whole invocation's budget of \d+ ms: it needs more time than the function's timeout gives/,
  },
  {
    name: "Lambda's retry comes late in the job's reply window: handed on at once, without a step",
    mode: 'worker',
    schedule: schedule({
      plan: { ...plan, faults: [{ tick: 1, attempt: 1, kind: 'crash', times: 1 }] },
      retryDelaysMs: [LATE_RETRY_DELAYS_MS[0], 120_000],
    }),
    injected: 'lambda:late-retry',
    injectedTimes: 1,
    status: 'Succeeded',
    handedOn: /^no time left in the job's reply window: handed on without a step$/,
  },
  {
    name: 'a step crashes every time and every first retry comes late: the crash limit fails the job across jobs',
    mode: 'worker',
    schedule: schedule({
      plan: { ...plan, faults: [{ tick: 2, attempt: 1, kind: 'crash', times: 3 }] },
      retryDelaysMs: [LATE_RETRY_DELAYS_MS[0], 120_000],
    }),
    injected: 'step:crash',
    // Job 3's first attempt dies, its late retry hands on without a step;
    // job 4's first attempt dies, its late retry is the crash limit's claim.
    injectedTimes: 2,
    status: 'Failed',
    failure:
      /^step 'poll' \(attempt 1\) was started by 2 invocations in a row [\s\S]*\(crashLimit 3\)/,
    handedOn: /^no time left in the job's reply window: handed on without a step$/,
  },
  {
    name: 'a history flush is applied but its answer is lost',
    mode: 'in-process',
    schedule: schedule({
      plan: flushPlan,
      dynamodb: [{ sequence: FLUSHING_JOB, op: 'flush', nth: 1, times: 1, kind: 'applied-lost' }],
    }),
    injected: 'dynamodb:applied-lost',
    status: 'Succeeded',
  },
  {
    name: "a history flush fails past the SDK's retries (the commit waits; Lambda retries)",
    mode: 'in-process',
    schedule: schedule({
      plan: flushPlan,
      dynamodb: [{ sequence: FLUSHING_JOB, op: 'flush', nth: 1, times: 3, kind: 'server-error' }],
    }),
    injected: 'dynamodb:server-error',
    status: 'Succeeded',
  },
  {
    name: 'the report is applied but its answer is lost (then InvalidJobStateException)',
    mode: 'in-process',
    schedule: schedule({ pipeline: [{ kind: 'response-lost', times: 1, when: { sequence: 1 } }] }),
    injected: 'pipeline:response-lost',
    status: 'Succeeded',
  },
  {
    name: 'the event is delivered twice at once',
    mode: 'in-process',
    schedule: schedule({
      pipeline: [{ kind: 'duplicate-delivery', mode: 'concurrent', when: { sequence: 1 } }],
    }),
    injected: 'pipeline:duplicate-delivery',
    status: 'Succeeded',
  },
  {
    name: 'the event is delivered again after the run moved on',
    mode: 'in-process',
    schedule: schedule({
      pipeline: [{ kind: 'duplicate-delivery', mode: 'sequential', when: { sequence: 2 } }],
    }),
    injected: 'pipeline:duplicate-delivery',
    status: 'Succeeded',
  },
];

describe('a fault at each boundary', () => {
  it.concurrent.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const outcome = await playSchedule(env, c.schedule, c.mode);
    expect(outcome.violations, describePlayed(outcome)).toEqual([]);
    expect(outcome.faults[c.injected] ?? 0, describePlayed(outcome)).toBeGreaterThan(0);
    if (c.injectedTimes !== undefined) {
      expect(outcome.faults[c.injected], describePlayed(outcome)).toBe(c.injectedTimes);
    }
    expect(outcome.played.result.status).toBe(c.status);
    if (c.failure) {
      expect(outcome.played.result.failureDetails?.type).toBe('JobFailed');
      expect(outcome.played.result.failureDetails?.message).toMatch(c.failure);
    }
    if (c.handedOn) {
      const handedOn = outcome.played.history
        .flatMap((h) => h.entries)
        .filter((e) => e.outcome === 'handed-on');
      expect(
        handedOn.map((e) => e.detail),
        describePlayed(outcome),
      ).toEqual([expect.stringMatching(c.handedOn)]);
    }
    if (c.oneInvocation !== undefined) {
      const ofJob = outcome.played.result.invocations.filter((i) => i.sequence === c.oneInvocation);
      expect(ofJob, describePlayed(outcome)).toHaveLength(1);
    }
  });
});
