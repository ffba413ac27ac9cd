import type { Logger } from '../logging/logger.js';
import type { Outcome, RunRecord } from '../store/run-record.js';
import { decideConflict } from './claim/decide-conflict.js';
import type { RunStore } from './ports/run-store.js';

/** What the run says of a job whose parameters this deployment refuses. */
export type EarlierAnswer =
  /** The job's outcome is committed: send it again. */
  | { kind: 'resend'; outcome: Outcome; current: RunRecord }
  /** The job's outcome is committed and a live invocation is reporting it: nothing to do. */
  | { kind: 'reporting'; current: RunRecord }
  /** A job of an older sequence, answered long ago: nothing to do. */
  | { kind: 'stale'; current: RunRecord };

/**
 * Looks up whether a job whose parameters are refused was answered before:
 * a Lambda retry after a deployment with a stricter parameter schema, of a
 * job an earlier deployment committed but had not reported. One read of the
 * run item (`peekRun`), only on this rare path; a store that fails leaves the
 * rejection to be reported.
 *
 * @returns `undefined` when the job was not answered (report the rejection)
 * @example
 * ```ts
 * const earlier = await answeredBefore(store, { runId, jobSeq, nonce }, { jobId, now }, log);
 * if (earlier?.kind === 'resend') await report(reporter, earlier.outcome, runId, budget, clock);
 * ```
 */
export async function answeredBefore(
  store: RunStore,
  run: { runId: string; jobSeq: number; nonce?: string },
  job: { jobId: string; now: number },
  log: Logger,
): Promise<EarlierAnswer | undefined> {
  let current: RunRecord | undefined;
  try {
    current = await store.peekRun(run.runId);
  } catch (err) {
    log.warn('could not read the run of a rejected job; reporting the rejection', { error: err });
    return undefined;
  }
  if (!current) return undefined;
  const decision = decideConflict(current, {
    jobId: job.jobId,
    jobSeq: run.jobSeq,
    nonce: run.nonce,
    requestId: undefined,
    now: job.now,
    takeoverAfterMs: Number.POSITIVE_INFINITY,
  });
  if (decision.kind === 'resend' && current.outcome) {
    return { kind: 'resend', outcome: current.outcome, current };
  }
  if (decision.kind === 'reporting') return { kind: 'reporting', current };
  if (decision.kind === 'stale') return { kind: 'stale', current };
  return undefined;
}
