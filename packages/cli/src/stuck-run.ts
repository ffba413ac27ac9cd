import { jobNumberOf } from './job-number.js';
import type { ShownRun } from './shown-run.js';
import { formatTime } from './text-format.js';

/**
 * How long a running run may go without an update before it counts as stuck:
 * CodePipeline fails a Lambda action that sends no reply for 20 minutes.
 */
export const STUCK_AFTER_MS = 20 * 60_000;

/**
 * How long after a lease expired Lambda may still retry the invocation that
 * held it (retries come about 1 and 2 minutes after a failure).
 */
export const LAMBDA_RETRY_WINDOW_MS = 4 * 60_000;

/** Why a run looks stuck, and what to do about it. */
export interface StuckDiagnosis {
  /** What the table shows, e.g. "no invocation has finished this run since …". */
  reason: string;
  /** What an operator should do. */
  advice: string;
  /** Epoch ms since when nothing has moved the run. */
  since: number;
}

/**
 * Tells whether a run is stuck: it is `running` and either the invocation
 * that claimed it died without committing (its lease expired and is still
 * there), or no invocation has updated it for {@link STUCK_AFTER_MS}.
 *
 * @returns `undefined` when the run is finished or healthy
 * @example
 * ```ts
 * const stuck = diagnoseStuck(run, Date.now());
 * if (stuck) console.log(`${stuck.reason}; ${stuck.advice}`);
 * ```
 */
export function diagnoseStuck(run: ShownRun, now: number): StuckDiagnosis | undefined {
  if (run.status !== 'running') return undefined;
  const expiry = `this run will expire via TTL at ${formatTime(run.expiresAt * 1000, now)}`;
  const lastError = run.lastError ? `; last error: ${run.lastError}` : '';
  if (run.leaseOwner !== undefined && run.leaseUntil !== undefined && run.leaseUntil < now) {
    const holder = run.leaseRequestId ? `request ${run.leaseRequestId}` : `owner ${run.leaseOwner}`;
    const reason =
      `the invocation that claimed job ${jobNumberOf(run.nextJobSeq)} (${holder}) never committed: ` +
      `its lease expired at ${formatTime(run.leaseUntil, now)} (crashed or timed out)${lastError}`;
    const advice =
      now - run.leaseUntil < LAMBDA_RETRY_WINDOW_MS
        ? 'Lambda retries a failed invocation about 1 and 2 minutes later, and the retry takes ' +
          'the run over; if none comes, the pipeline action fails 20 minutes after its last ' +
          `reply — then retry the stage (a new run starts); ${expiry}`
        : 'no retry took the run over; the pipeline action has probably timed out — retry the ' +
          `stage (a new run starts); ${expiry}`;
    return { reason, advice, since: run.updatedAt };
  }
  if (now - run.updatedAt > STUCK_AFTER_MS) {
    return {
      reason: `no invocation has finished this run since ${formatTime(run.updatedAt, now)}${lastError}`,
      advice:
        'the pipeline action has probably timed out (CodePipeline fails a Lambda action after ' +
        `20 minutes without a reply) — retry the stage (a new run starts); ${expiry}`,
      since: run.updatedAt,
    };
  }
  return undefined;
}
