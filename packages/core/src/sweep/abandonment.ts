import {
  CODEPIPELINE_ACTION_LIMIT_MS,
  CODEPIPELINE_REPLY_WINDOW_MS,
} from '../pipeline/action-windows.js';
import { AbandonReason, type RunRecord } from '../store/run-record.js';

/**
 * Time allowed for CodePipeline to create the next job after a continuation
 * (not documented by AWS; seconds in practice), added to the reply window.
 */
export const DEFAULT_NEXT_JOB_GRACE_MS = 10 * 60_000;

/** Options of {@link abandonment}. */
export interface AbandonmentOptions {
  /**
   * CodePipeline's reply window.
   * @default 1200000 (20 minutes)
   */
  replyWindowMs?: number;
  /**
   * Extra time for the next job of a continuation to be created and delivered.
   * @default 600000 (10 minutes)
   */
  nextJobGraceMs?: number;
}

/** Why a run is abandoned, as decided from the table. */
export interface AbandonmentVerdict {
  reason: AbandonReason;
  /** What happened, for people: shown by `baton runs` and stored with the run. */
  detail: string;
}

/**
 * Decides from the stored run alone whether no invocation will ever move it
 * again, and why. Only a `running` run whose lease is free (or expired) can
 * be abandoned: a live invocation finds out for itself when it reports.
 *
 * The job a running run waits on was created before its last claim or commit
 * (`updatedAt`), or, after a continuation, shortly after it; CodePipeline
 * fails it 20 minutes after its creation without a reply. So a run untouched
 * for the reply window plus {@link DEFAULT_NEXT_JOB_GRACE_MS} has a job
 * CodePipeline no longer accepts.
 *
 * @returns `undefined` when the run may still move
 * @example
 * ```ts
 * const verdict = abandonment(run, Date.now());
 * if (verdict) console.log(`${run.runId}: ${verdict.detail}`);
 * ```
 */
export function abandonment(
  run: RunRecord,
  now: number,
  options: AbandonmentOptions = {},
): AbandonmentVerdict | undefined {
  if (run.status !== 'running') return undefined;
  if (run.leaseOwner !== undefined && (run.leaseUntil ?? 0) > now) return undefined;
  const window = options.replyWindowMs ?? CODEPIPELINE_REPLY_WINDOW_MS;
  const grace = options.nextJobGraceMs ?? DEFAULT_NEXT_JOB_GRACE_MS;
  const idle = now - run.updatedAt;
  const since = new Date(run.updatedAt).toISOString();
  const lastError = run.lastError ? `; last error: ${run.lastError}` : '';
  if (now - run.createdAt >= CODEPIPELINE_ACTION_LIMIT_MS) {
    return {
      reason: AbandonReason.ActionLimit,
      detail:
        `the run started ${new Date(run.createdAt).toISOString()}, more than CodePipeline's 24-hour ` +
        `limit of an action ago, and is still running (last touched ${since})${lastError}`,
    };
  }
  if (now >= run.deadlineAt && idle >= window) {
    return {
      reason: AbandonReason.DeadlinePassed,
      detail:
        `the run passed its deadline (${new Date(run.deadlineAt).toISOString()}) and no invocation ` +
        `has come since ${since} to fail it${lastError}`,
    };
  }
  if (idle >= window + grace) {
    const waitingOn =
      run.leaseOwner !== undefined
        ? `the invocation that claimed job ${run.nextJobId ?? '?'} died without committing`
        : run.nextJobId !== undefined
          ? `job ${run.nextJobId} was claimed, but no invocation of it committed`
          : 'no job came after the last commit';
    return {
      reason: AbandonReason.NoReply,
      detail:
        `no invocation has touched the run since ${since} (${Math.round(idle / 60_000)} min): ` +
        `${waitingOn}, and CodePipeline fails a job that gets no reply for 20 minutes${lastError}`,
    };
  }
  return undefined;
}
