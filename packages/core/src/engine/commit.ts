import { redactText } from '../logging/redacting-logger.js';
import { CodePipelineLimits, fitText } from '../pipeline/limits.js';
import type { Outcome, RunRecord } from '../store/run-record.js';
import { encodeToken } from '../token/continuation-token.js';
import type { Cursor, FinalOutcome } from './cursor.js';
import type { InvocationHistory } from './history.js';
import type { CommitRequest } from './ports/run-store.js';
import { redactOutcome } from './redaction.js';
import { expiresAtFrom } from './retention.js';
import { optionalSummary } from './transitions/verdict.js';

/** Job ids a run remembers, to tell a stale redelivery from a reused token. */
export const RECENT_JOB_IDS = 20;

/** What the commit of one invocation is made of. */
export interface CommitInput {
  run: RunRecord;
  /** Where the steps left the run. */
  cursor: Cursor;
  /** Set when the run ended. */
  final?: FinalOutcome | undefined;
  history: InvocationHistory;
  jobId: string;
  owner: string;
  requestId: string | undefined;
  startedAt: number;
  now: number;
  /**
   * When this invocation ends: it reports the outcome until then (the
   * request's `reporting`), so a delivery of the same job leaves it the report.
   */
  reportUntil: number;
  secrets: readonly string[];
  retentionDays?: number | undefined;
}

/**
 * The commit request of an invocation and the outcome it commits: the final
 * outcome, or a continuation whose token names the next `jobSeq`. Nothing
 * derived from the event's credentials is stored or reported: the outcome,
 * the state, the progress and the history are redacted here.
 *
 * @example
 * ```ts
 * const request = commitRequest({ run, cursor, history, jobId, owner, requestId, startedAt, now, reportUntil, secrets });
 * if (await store.commit(request)) await reporter.report(request.outcome, run.runId, budgetMs);
 * ```
 */
export function commitRequest(input: CommitInput): CommitRequest {
  const { run, cursor, final, secrets, now } = input;
  const jobSeq = run.nextJobSeq;
  const nextJobSeq = final ? jobSeq : jobSeq + 1;
  const outcome = redactOutcome(final ?? continuation(input, nextJobSeq), secrets);
  const progress =
    cursor.progress?.summary === undefined
      ? cursor.progress
      : {
          ...cursor.progress,
          ...optionalSummary(
            fitText(redactText(cursor.progress.summary, secrets), CodePipelineLimits.summaryMax),
          ),
        };
  return {
    runId: run.runId,
    owner: input.owner,
    jobSeq,
    status:
      outcome.kind === 'continue' ? 'running' : outcome.kind === 'succeed' ? 'succeeded' : 'failed',
    step: cursor.step,
    ...(cursor.stateJson === undefined ? {} : { stateJson: redactText(cursor.stateJson, secrets) }),
    nextJobSeq,
    attempt: cursor.attempt,
    visit: cursor.visit,
    ...(cursor.resumeAt === undefined ? {} : { resumeAt: cursor.resumeAt }),
    ...(progress === undefined ? {} : { progress }),
    ...(cursor.lastError === undefined ? {} : { lastError: cursor.lastError }),
    recentJobIds: [...(run.recentJobIds ?? []), input.jobId].slice(-RECENT_JOB_IDS),
    outcome,
    now,
    expiresAt: expiresAtFrom(now, input.retentionDays),
    reporting:
      input.requestId === undefined
        ? { until: input.reportUntil }
        : { until: input.reportUntil, requestId: input.requestId },
    history: {
      runId: run.runId,
      jobSeq,
      jobId: input.jobId,
      ...(input.requestId ? { requestId: input.requestId } : {}),
      startedAt: input.startedAt,
      committedAt: now,
      entries: input.history.redacted(secrets),
    },
  };
}

/** The outcome of an invocation that hands the run on. */
function continuation(input: CommitInput, nextJobSeq: number): Outcome {
  const { run, cursor } = input;
  return {
    kind: 'continue',
    jobId: input.jobId,
    jobSeq: run.nextJobSeq,
    continuationToken: encodeToken({ runId: run.runId, jobSeq: nextJobSeq, nonce: run.nonce }),
    ...(cursor.progress?.percentComplete === undefined
      ? {}
      : { percentComplete: cursor.progress.percentComplete }),
    ...optionalSummary(cursor.progress?.summary ?? `running step '${cursor.step}'`),
  };
}
