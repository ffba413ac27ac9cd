/**
 * The outcome a fault schedule must end with, from its plan and Lambda's
 * retry delays alone (never from timing): success with the plan's output
 * variables, a step whose three attempts all fail, or the crash limit.
 */
import type { Schedule } from './schedule.js';

/**
 * `defineJob`'s default `crashLimit`, which the schedule job keeps: the third
 * claim of a job in a row that no commit followed fails the job instead of
 * running its step again.
 */
export const CRASH_LIMIT = 3;

/** What the run must end with when no timeout gets in the way. */
export type Expected =
  | { kind: 'succeed'; ticks: number; polls: number }
  /** The step's three attempts all fail: its retry policy fails the run. */
  | { kind: 'fail'; step: string; tick: number }
  /**
   * The step kills its process on `CRASH_LIMIT - 1` executions in a row (in
   * one job, or across jobs handed on without a step): the next claim fails
   * the run (`JobFailed`, naming the step and the crash limit).
   */
  | { kind: 'crash-limit'; step: string; tick: number };

/**
 * The outcome a schedule's plan leads to: the first tick whose three attempts
 * all fail, or whose attempt crashes the process as often as the crash limit
 * allows, fails the run.
 *
 * - `slow` fails its attempt: a step that overruns every budget it gets is
 *   charged the attempt once it had a whole invocation's budget;
 * - `overrun` never does: cut off after other work, the step is handed on as
 *   the same attempt and finishes with the next invocation's whole budget;
 * - a crash reaches the crash limit with late first retries
 *   (`retryDelaysMs`) too: the late retry hands the run on without a step,
 *   and a commit that ran no step keeps the claims no step-running commit
 *   followed, so the next job's claims add to them. The step crashes once in
 *   each job (its first attempt), and the late retry of the job after the
 *   `CRASH_LIMIT - 1`-th crash is the claim that fails the run, as Lambda's
 *   last retry is without late retries.
 */
export function expectedOutcome(
  schedule: Pick<Schedule, 'plan'>,
  stepAt: (tick: number) => string,
): Expected {
  const { plan } = schedule;
  const last = plan.polls + 2;
  for (let tick = 0; tick <= last; tick++) {
    // The job acts on the first fault listed for a (tick, attempt).
    const fault = (attempt: number) =>
      plan.faults.find((f) => f.tick === tick && f.attempt === attempt);
    const failing = (attempt: number) => {
      const kind = fault(attempt)?.kind;
      return kind === 'throw' || kind === 'slow';
    };
    for (let attempt = 1; attempt <= 3; attempt++) {
      const f = fault(attempt);
      // Attempts before this one failed (and were retried), or it is the first.
      const reached = Array.from({ length: attempt - 1 }, (_, i) => failing(i + 1)).every(Boolean);
      if (!reached) break;
      if (f?.kind === 'crash' && (f.times ?? 1) >= CRASH_LIMIT - 1) {
        return { kind: 'crash-limit', step: stepAt(tick), tick };
      }
    }
    if (failing(1) && failing(2) && failing(3)) return { kind: 'fail', step: stepAt(tick), tick };
  }
  return { kind: 'succeed', ticks: last, polls: plan.polls };
}
