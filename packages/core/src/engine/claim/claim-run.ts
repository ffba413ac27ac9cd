import type { Logger } from '../../logging/logger.js';
import type { Outcome, RunRecord } from '../../store/run-record.js';
import type { ClaimRequest, ClaimResult, RunStore } from '../ports/run-store.js';
import { type ConflictingJob, decideConflict } from './decide-conflict.js';

/** What claiming the run gave this invocation. */
export type ClaimOutcome =
  /**
   * The lease is this invocation's: run the steps. `tookOver` when it was
   * taken from a dead attempt of the same request (a crash).
   */
  | { kind: 'claimed'; run: RunRecord; tookOver?: true }
  /** The job's outcome is committed already: send it again. */
  | { kind: 'resend'; outcome: Outcome; current: RunRecord }
  /** The job belongs to an older `jobSeq`: nothing to do. */
  | { kind: 'stale'; current: RunRecord }
  /** Another live invocation holds the job (or took the lease first). */
  | { kind: 'in-progress'; current?: RunRecord }
  /** The job's outcome is committed and another live invocation is reporting it. */
  | { kind: 'reporting'; current: RunRecord }
  /** The token does not fit the run: a configuration error. */
  | { kind: 'reject'; message: string };

/**
 * Claims the run: one conditional write, and when it is refused the run as it
 * was says why ({@link decideConflict}). A refusal that shows this
 * invocation's own lease means the write was applied and only its answer
 * lost. A Lambda retry of a dead holder takes the lease over (or the report
 * of its committed outcome) with a second conditional write.
 *
 * @example
 * ```ts
 * const claim = await claimRun(store, request, { jobId, jobSeq, nonce, requestId, now, takeoverAfterMs }, log);
 * ```
 */
export async function claimRun(
  store: RunStore,
  request: ClaimRequest,
  job: Omit<ConflictingJob, 'now'>,
  now: () => number,
  log: Logger,
): Promise<ClaimOutcome> {
  const first = ours(await store.claim(request), request.owner);
  if (first.claimed) return { kind: 'claimed', run: first.run };
  const current = first.current;
  const decision = decideConflict(current, { ...job, now: now() });
  switch (decision.kind) {
    case 'reject':
      return decision;
    case 'resend':
      return {
        kind: 'resend',
        outcome: current?.outcome as Outcome,
        current: current as RunRecord,
      };
    case 'reporting':
      return { kind: 'reporting', current: current as RunRecord };
    case 'take-over-report': {
      // Lambda retried the committer's request: it died before its report.
      const run = current as RunRecord;
      log.warn('taking over the report of a failed attempt of this request');
      const taken = await store.takeOverReport({
        runId: run.runId,
        from: decision.previousOwner,
        owner: request.owner,
        ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
        until: request.leaseUntil,
      });
      if (taken) return { kind: 'resend', outcome: run.outcome as Outcome, current: run };
      log.info('report taken by another invocation meanwhile: returning quietly');
      return { kind: 'reporting', current: run };
    }
    case 'stale':
      return { kind: 'stale', current: current as RunRecord };
    case 'in-progress':
      return { kind: 'in-progress', ...(current ? { current } : {}) };
    case 'take-over': {
      // Lambda retried this same request: the holder is dead, its lease is ours.
      log.warn('taking over the lease of a failed attempt of this request');
      const retaken = ours(
        await store.claim({ ...request, now: now(), takeOverFrom: decision.previousOwner }),
        request.owner,
      );
      if (retaken.claimed) return { kind: 'claimed', run: retaken.run, tookOver: true };
      log.info('lease taken by another invocation meanwhile: returning quietly');
      return { kind: 'in-progress', ...(retaken.current ? { current: retaken.current } : {}) };
    }
  }
}

/**
 * A refused claim whose run shows `owner`'s lease was applied; its answer was
 * lost and the SDK's retry then failed its own condition.
 */
function ours(result: ClaimResult, owner: string): ClaimResult {
  if (!result.claimed && result.current?.leaseOwner === owner) {
    return { claimed: true, run: result.current };
  }
  return result;
}
