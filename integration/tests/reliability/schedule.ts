/**
 * Fault schedules: what one action run is made to suffer, and the fast-check
 * arbitraries that generate them.
 */
import type { Fault } from '@baton/testing';
import fc from 'fast-check';
import type { DdbFault } from '../../fixtures/reliability/dynamodb-fault-proxy.js';
import type { JobPlan, StepFault } from '../../fixtures/reliability/schedule-job.js';

/** Where the handler runs: in the test process (fast) or in worker containers (real crashes). */
export type ScheduleMode = 'in-process' | 'worker';

export interface Schedule {
  /** The job's plan (sent as `UserParameters`): polls, wait, step faults. */
  plan: JobPlan;
  /** The emulator's faults: duplicate deliveries, CodePipeline errors, lost answers, cut-offs. */
  pipeline: Fault[];
  /** The DynamoDB proxy's faults. */
  dynamodb: DdbFault[];
  /** Seed of the emulator's `probability` selectors. */
  seed: number;
  /**
   * Pipeline delays of Lambda's two retries (the emulator's default when
   * absent: 1 and 2 minutes). Worker schedules may make the first retry late,
   * see {@link LATE_RETRY_DELAYS_MS}.
   */
  retryDelaysMs?: number[];
}

/**
 * Delays of a first Lambda retry that comes late in the job's 20-minute reply
 * window: over 19 minutes after the failed invocation ended, so after the
 * window less Baton's margin of a minute, however long that invocation ran
 * (its claim started the window), and before the window's end, however long
 * it ran (3 s at most). The retry must hand the run on at once, without a
 * step, and report inside the window. Only worker handlers read pipeline time,
 * so only their schedules have late retries.
 */
export const LATE_RETRY_DELAYS_MS = [19 * 60_000 + 5_000, 19 * 60_000 + 30_000] as const;
/** Lambda's second retry keeps its usual delay. */
const SECOND_RETRY_DELAY_MS = 120_000;

/**
 * What faults aim at, for a plan of `polls` polls: its jobs (one more than
 * the polls without retries or bounces, and a few extra) and its ticks.
 */
interface Targets {
  sequence: fc.Arbitrary<number>;
  tick: fc.Arbitrary<number>;
}

function targets(polls: number): Targets {
  return {
    sequence: fc.integer({ min: 1, max: polls + 3 }),
    tick: fc.integer({ min: 0, max: polls + 2 }),
  };
}

/** A job selector: a sequence, or a seeded probability over all jobs. */
const jobSelector = (t: Targets) =>
  fc.oneof(
    { weight: 3, arbitrary: t.sequence.map((sequence) => ({ sequence })) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: 5 }).map((tenths) => ({ probability: tenths / 10 })),
    },
  );

const stepFault = (t: Targets, polls: number): fc.Arbitrary<StepFault> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        tick: t.tick,
        attempt: fc.integer({ min: 1, max: 3 }),
        kind: fc.constantFrom<StepFault['kind']>('throw', 'throw', 'throw', 'slow'),
      }),
    },
    {
      weight: 1,
      // Mostly aimed at the steps that run after another in one invocation:
      // the first poll after `start`, and `finish` after the last poll.
      arbitrary: fc.record({
        tick: fc.oneof(fc.constantFrom(1, polls + 2), t.tick),
        attempt: fc.constantFrom(1, 1, 2),
        kind: fc.constant('overrun' as const),
      }),
    },
  );

const stepCrash = (t: Targets): fc.Arbitrary<StepFault> =>
  fc.record({
    tick: t.tick,
    attempt: fc.constantFrom(1, 1, 2),
    kind: fc.constant('crash' as const),
    // Two crashes of one execution reach the crash limit: Lambda's last retry
    // fails the job (three would exhaust Lambda's retries without it).
    times: fc.constantFrom(1, 1, 1, 2, 3),
  });

const pipelineFault = (t: Targets): fc.Arbitrary<Fault> =>
  fc.oneof(
    fc.record({
      kind: fc.constant('duplicate-delivery' as const),
      mode: fc.constantFrom('sequential' as const, 'concurrent' as const),
      when: jobSelector(t),
    }),
    fc.record({
      kind: fc.constant('throttle' as const),
      times: fc.integer({ min: 1, max: 3 }),
      when: jobSelector(t),
    }),
    fc.record({
      kind: fc.constant('server-error' as const),
      statusCode: fc.constantFrom(500 as const, 503 as const),
      times: fc.integer({ min: 1, max: 3 }),
      when: jobSelector(t),
    }),
    fc.record({
      kind: fc.constant('response-lost' as const),
      times: fc.integer({ min: 1, max: 2 }),
      when: jobSelector(t),
    }),
  );

const cutOff = (t: Targets): fc.Arbitrary<Fault> =>
  fc.record({
    kind: fc.constant('cut-off' as const),
    at: fc.oneof(
      fc.constantFrom('report-received' as const, 'report-applied' as const),
      fc.integer({ min: 0, max: 300 }).map((afterMs) => ({ afterMs })),
    ),
    when: fc.record({ sequence: t.sequence, attempt: fc.constantFrom(1, 1, 1, 2, 3) }),
  });

const ddbOp = fc.constantFrom(
  'claim' as const,
  'claim' as const,
  'commit' as const,
  'commit' as const,
  'flush' as const,
  'release' as const,
);

const dynamodbFault = (t: Targets): fc.Arbitrary<DdbFault> =>
  fc.record({
    sequence: t.sequence,
    op: ddbOp,
    nth: fc.integer({ min: 1, max: 2 }),
    times: fc.integer({ min: 1, max: 4 }),
    kind: fc.constantFrom<DdbFault['kind']>('throttle', 'server-error', 'conflict', 'applied-lost'),
  });

const dynamodbCrash = (t: Targets): fc.Arbitrary<DdbFault> =>
  fc.record({
    sequence: t.sequence,
    op: fc.constantFrom('claim' as const, 'commit' as const, 'commit' as const, 'flush' as const),
    nth: fc.constantFrom(1, 1, 2),
    times: fc.constant(1),
    kind: fc.constantFrom<DdbFault['kind']>('crash-before', 'crash-after'),
  });

type Crash =
  | { where: 'step'; fault: StepFault }
  | { where: 'pipeline'; fault: Fault }
  | { where: 'dynamodb'; fault: DdbFault };

/** A crash at one boundary: inside a step, around a claim, commit or flush, or around a report. */
const crash = (t: Targets): fc.Arbitrary<Crash> =>
  fc.oneof(
    stepCrash(t).map((fault) => ({ where: 'step' as const, fault })),
    cutOff(t).map((fault) => ({ where: 'pipeline' as const, fault })),
    dynamodbCrash(t).map((fault) => ({ where: 'dynamodb' as const, fault })),
  );

/**
 * A schedule for handlers that run in `mode`. Worker schedules hold one or two
 * crashes aimed at jobs and ticks the run has; both hold any mix of the other faults.
 */
export function scheduleArbitrary(mode: ScheduleMode): fc.Arbitrary<Schedule> {
  // Up to 4 polls: the fifth job flushes the history records pending in the run item.
  return fc.integer({ min: 0, max: 4 }).chain((polls) => {
    const t = targets(polls);
    return fc
      .record({
        waitMs: fc.constantFrom(1, 5, 25),
        faults: fc.array(stepFault(t, polls), { maxLength: 3 }),
        pipeline: fc.array(pipelineFault(t), { maxLength: 4 }),
        dynamodb: fc.array(dynamodbFault(t), { maxLength: 3 }),
        crashes:
          mode === 'worker'
            ? fc.array(crash(t), { minLength: 1, maxLength: 2 })
            : fc.constant<Crash[]>([]),
        seed: fc.integer({ min: 1, max: 1_000_000 }),
        lateRetry:
          mode === 'worker'
            ? fc.oneof(
                { weight: 2, arbitrary: fc.constant(undefined) },
                { weight: 1, arbitrary: fc.constantFrom(...LATE_RETRY_DELAYS_MS) },
              )
            : fc.constant(undefined),
      })
      .map(({ waitMs, faults, pipeline, dynamodb, crashes, seed, lateRetry }) => ({
        plan: {
          polls,
          waitMs,
          // A crash is listed first: the job acts on the first fault of an execution.
          faults: [...crashes.flatMap((c) => (c.where === 'step' ? [c.fault] : [])), ...faults],
        },
        pipeline: [
          ...pipeline,
          ...crashes.flatMap((c) => (c.where === 'pipeline' ? [c.fault] : [])),
        ],
        dynamodb: [
          ...crashes.flatMap((c) => (c.where === 'dynamodb' ? [c.fault] : [])),
          ...dynamodb,
        ],
        seed,
        ...(lateRetry === undefined ? {} : { retryDelaysMs: [lateRetry, SECOND_RETRY_DELAY_MS] }),
      }));
  });
}

/** Whether a schedule kills a container somewhere. */
export function hasCrash(schedule: Schedule): boolean {
  return (
    schedule.plan.faults.some((f) => f.kind === 'crash') ||
    schedule.pipeline.some((f) => f.kind === 'cut-off') ||
    schedule.dynamodb.some((f) => f.kind.startsWith('crash'))
  );
}
