import { ConfigurationError } from '../errors.js';
import { type ParsedJobEvent, parseJobEvent } from '../event/job-event.js';
import type { Job } from '../job/define-job.js';
import { parseParams } from '../job/parse-params.js';
import { decodeToken, runIdForJob } from '../token/continuation-token.js';

/** The run a job belongs to, and what the job brings. */
export interface IdentifiedJob<P> {
  kind: 'identified';
  parsed: ParsedJobEvent;
  params: P;
  runId: string;
  /** 0 for the first job, else the token's. */
  jobSeq: number;
  /** The token's nonce; absent for the first job. */
  nonce?: string;
}

/** A job whose configuration is wrong: to be reported as `ConfigurationError`. */
export interface RejectedJob {
  kind: 'rejected';
  error: ConfigurationError;
  /**
   * The run, when the event and its token are fine and only the parameters
   * are refused: the job may have been answered before (by a deployment
   * whose parameter schema accepted them).
   */
  run?: { runId: string; jobSeq: number; nonce?: string };
}

/**
 * Parses the event and identifies the run: a first job's run id is a hash of
 * its job id, a continuation's comes from its token. Token and parameters are
 * both checked, so one report names every problem of the configuration.
 * Errors other than `ConfigurationError` are thrown.
 *
 * @example
 * ```ts
 * const identified = await identify(job, event);
 * if (identified.kind === 'rejected') return reject(identified.error);
 * ```
 */
export async function identify<S extends object, P>(
  job: Job<S, P>,
  event: unknown,
): Promise<IdentifiedJob<P> | RejectedJob> {
  let parsed: ParsedJobEvent;
  try {
    parsed = await parseJobEvent(event);
  } catch (err) {
    return rejected(err);
  }
  const problems: ConfigurationError[] = [];
  let run: { runId: string; jobSeq: number; nonce?: string } = {
    runId: runIdForJob(parsed.jobId),
    jobSeq: 0,
  };
  if (parsed.continuationToken !== undefined) {
    try {
      run = decodeToken(parsed.continuationToken);
    } catch (err) {
      problems.push(rejected(err).error);
    }
  }
  const tokenFine = problems.length === 0;
  let params = undefined as P;
  try {
    params = await parseParams(job, parsed.userParameters);
  } catch (err) {
    problems.push(rejected(err).error);
  }
  if (problems.length > 0) {
    return {
      kind: 'rejected',
      error:
        problems.length === 1
          ? (problems[0] as ConfigurationError)
          : new ConfigurationError(problems.map((p) => p.message).join('; also, ')),
      ...(tokenFine ? { run } : {}),
    };
  }
  return { kind: 'identified', parsed, params, ...run };
}

function rejected(err: unknown): RejectedJob {
  if (err instanceof ConfigurationError) return { kind: 'rejected', error: err };
  throw err;
}
