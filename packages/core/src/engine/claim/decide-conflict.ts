import type { RunRecord } from '../../store/run-record.js';

/** What a refused claim means for the job that asked. */
export type ConflictDecision =
  | { kind: 'reject'; message: string }
  | { kind: 'resend' }
  /** The job's outcome is committed and a live invocation is reporting it. */
  | { kind: 'reporting' }
  /** As `reporting`, but the reporter is a dead attempt of this request: take the report. */
  | { kind: 'take-over-report'; previousOwner: string }
  | { kind: 'stale' }
  | { kind: 'in-progress' }
  | { kind: 'take-over'; previousOwner: string };

/** The job whose claim was refused, as {@link decideConflict} needs it. */
export interface ConflictingJob {
  jobId: string;
  jobSeq: number;
  nonce: string | undefined;
  requestId: string | undefined;
  now: number;
  /** Age a same-request lease must reach before it is taken for dead. */
  takeoverAfterMs: number;
}

/**
 * Decides what a refused claim means, from the run as it was. The order of the
 * checks matters: a job's own committed outcome wins over everything but a
 * bad token, and a stale redelivery is told from a reused token before the
 * run's status is looked at.
 *
 * @example
 * ```ts
 * decideConflict(current, { jobId, jobSeq: 1, nonce, requestId, now, takeoverAfterMs: 50_000 });
 * ```
 */
export function decideConflict(
  current: RunRecord | undefined,
  job: ConflictingJob,
): ConflictDecision {
  if (!current) {
    return {
      kind: 'reject',
      message:
        'continuationToken names a run this table does not hold: it was issued by another Baton ' +
        'deployment (another table) or the run expired',
    };
  }
  if (job.nonce !== undefined && current.nonce !== job.nonce) {
    return {
      kind: 'reject',
      message: `continuationToken does not match run ${current.runId}: wrong nonce (forged, or from another run)`,
    };
  }
  if (current.outcome?.jobId === job.jobId) return committedDecision(current, job);
  if (job.jobSeq < current.nextJobSeq) {
    // A redelivery of a job the run already answered is stale; a new job with
    // an old token is a token reused, and gets told so.
    if (current.recentJobIds === undefined || current.recentJobIds.includes(job.jobId)) {
      return { kind: 'stale' };
    }
    return {
      kind: 'reject',
      message: `continuationToken of sequence ${job.jobSeq} was already used: run ${current.runId} is at sequence ${current.nextJobSeq}${current.status === 'running' ? '' : ` and already ${current.status}`}`,
    };
  }
  if (current.status !== 'running') {
    return {
      kind: 'reject',
      message: `run ${current.runId} already ${current.status}; continuationToken of sequence ${job.jobSeq} cannot continue it`,
    };
  }
  if (job.jobSeq > current.nextJobSeq) {
    return {
      kind: 'reject',
      message: `continuationToken has sequence ${job.jobSeq} but run ${current.runId} is at ${current.nextJobSeq}: not a token Baton issued`,
    };
  }
  if (current.nextJobId !== undefined && current.nextJobId !== job.jobId) {
    return {
      kind: 'reject',
      message: `continuationToken of sequence ${job.jobSeq} was already used by job ${current.nextJobId}`,
    };
  }
  if (
    current.leaseOwner !== undefined &&
    isRetryOf(job, current.leaseRequestId, current.leaseClaimedAt ?? 0)
  ) {
    return { kind: 'take-over', previousOwner: current.leaseOwner };
  }
  return { kind: 'in-progress' };
}

/**
 * A delivery of a job whose outcome is committed re-sends it, unless the
 * committer may still be reporting it (until its invocation's end): a
 * re-send could reach CodePipeline first and make the committer's report
 * look refused. A Lambda retry of the committer (same request id, old enough
 * to be a retry) takes the report over: the committer is dead.
 */
function committedDecision(current: RunRecord, job: ConflictingJob): ConflictDecision {
  const reporter = current.reportOwner;
  if (reporter === undefined || (current.reportUntil ?? 0) < job.now) return { kind: 'resend' };
  if (isRetryOf(job, current.reportRequestId, current.updatedAt)) {
    return { kind: 'take-over-report', previousOwner: reporter };
  }
  return { kind: 'reporting' };
}

/** Whether `job` is Lambda's retry of the invocation of `requestId` that began (or renewed) `since`. */
function isRetryOf(job: ConflictingJob, requestId: string | undefined, since: number): boolean {
  return (
    job.requestId !== undefined &&
    requestId === job.requestId &&
    job.now - since >= job.takeoverAfterMs
  );
}
