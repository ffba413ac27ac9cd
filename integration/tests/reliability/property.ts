/**
 * Runs the fault-schedule property for one kind of handler. Schedules play in
 * parallel lanes: each lane is its own fast-check run (its own seed) over
 * single schedules, so a failure shrinks to one small schedule and replays
 * from the lane's seed and path alone.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { describePlayed } from './describe-played.js';
import { type ReliabilityEnv, scanTable, startReliabilityEnv } from './reliability-env.js';
import { playSchedule } from './run-schedule.js';
import { type Schedule, type ScheduleMode, scheduleArbitrary } from './schedule.js';
import { secretsIn } from './secrets-in-text.js';

/** `BATON_SCHEDULES=<n>`: in-process schedules to play (workers play a tenth, at least 12). */
const requested = Number(process.env.BATON_SCHEDULES ?? '');
export const SCHEDULES: Record<ScheduleMode, number> = {
  'in-process': requested > 0 ? requested : 200,
  worker: requested > 0 ? Math.max(12, Math.ceil(requested / 10)) : 12,
};
/** Lanes, i.e. schedules played at once (each its own action and run). */
const LANES: Record<ScheduleMode, number> = { 'in-process': 12, worker: 3 };
/**
 * Property runs a lane may spend shrinking a failure before it reports the
 * smallest failing schedule so far (a failing schedule can take seconds).
 */
const SHRINK_BUDGET = Number(process.env.BATON_SHRINK_BUDGET ?? '40');

/**
 * `BATON_SCHEDULE_SEED` (+ `BATON_SCHEDULE_PATH`): replay one lane, as a
 * failure report prints it. `BATON_SCHEDULE_BASE_SEED`: play all lanes of an
 * earlier run again (lane i has seed base + i).
 */
const replaySeed = process.env.BATON_SCHEDULE_SEED
  ? Number(process.env.BATON_SCHEDULE_SEED)
  : undefined;
const replayPath = process.env.BATON_SCHEDULE_PATH || undefined;
const baseSeed = process.env.BATON_SCHEDULE_BASE_SEED
  ? Number(process.env.BATON_SCHEDULE_BASE_SEED)
  : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;

/**
 * Declares the property test of `mode`, the table-wide secret scan that
 * follows it, and the figures printed at the end.
 */
export function describeFaultSchedules(mode: ScheduleMode, file: string, title: string): void {
  let env: ReliabilityEnv;
  const started = Date.now();

  beforeAll(async () => {
    env = await startReliabilityEnv(inject('dynamodbEndpoint'));
  });

  afterAll(async () => {
    if (!env) return;
    const { totals } = env;
    const faults = Object.values(totals.faults).reduce((a, b) => a + b, 0);
    const kinds = Object.entries(totals.faults)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ');
    console.log(
      `fault schedules (${mode}, base seed ${baseSeed}): ${totals.schedules} schedules, ` +
        `${faults} faults injected (${kinds}); ${totals.invocations} invocations, ` +
        `${totals.stepExecutions} step executions; ${totals.violations} schedules with violations; ` +
        `event loop held up ${Math.round(totals.maxLagMs)} ms at most; ${Math.round((Date.now() - started) / 1000)} s`,
    );
    await env.stop();
  });

  it(
    title,
    async () => {
      const lanes =
        replaySeed === undefined
          ? Array.from({ length: LANES[mode] }, (_, i) => baseSeed + i)
          : [replaySeed];
      const runsPerLane = Math.ceil(SCHEDULES[mode] / lanes.length);
      const failures = await Promise.all(
        lanes.map(async (seed) => {
          let failed = false;
          let runsAfterFailure = 0;
          const details = await fc.check(
            fc.asyncProperty(scheduleArbitrary(mode), async (schedule: Schedule) => {
              // Past the shrink budget, candidates pass unplayed: the last failure stands.
              if (failed && ++runsAfterFailure > SHRINK_BUDGET) return;
              const outcome = await playSchedule(env, schedule, mode);
              if (outcome.violations.length === 0) return;
              failed = true;
              throw new Error(describePlayed(outcome));
            }),
            { numRuns: runsPerLane, seed, ...(replayPath ? { path: replayPath } : {}) },
          );
          if (!details.failed) return undefined;
          const replay =
            (requested > 0 ? `BATON_SCHEDULES=${requested} ` : '') +
            `BATON_SCHEDULE_SEED=${details.seed} BATON_SCHEDULE_PATH=${details.counterexamplePath} ` +
            `pnpm vitest run --project integration ${file}`;
          const error =
            details.errorInstance instanceof Error
              ? details.errorInstance.message
              : String(details.errorInstance);
          return [
            `lane seed ${details.seed}: failed after ${details.numRuns} schedules, shrunk ${details.numShrinks} times`,
            `replay: ${replay}`,
            `counterexample: ${JSON.stringify(details.counterexample?.[0])}`,
            error,
          ].join('\n');
        }),
      );
      const failed = failures.filter((f): f is string => f !== undefined);
      if (failed.length > 0) throw new Error(failed.join('\n\n'));
    },
    Math.max(600_000, SCHEDULES[mode] * (mode === 'worker' ? 20_000 : 2_000)),
  );

  it(
    'leaves no artifact credential anywhere in the table',
    async () => {
      expect(env.secrets.size).toBeGreaterThan(0);
      const table = await scanTable(env);
      expect(secretsIn(table, env.secrets)).toEqual([]);
      expect(table).toContain('[REDACTED]');
    },
    // The table grows with the schedules played: a long run's scan takes minutes.
    Math.max(120_000, SCHEDULES[mode] * 60),
  );
}
