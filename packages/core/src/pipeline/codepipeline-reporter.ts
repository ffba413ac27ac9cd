import {
  type CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import pRetry, { AbortError } from 'p-retry';
import { type Reporter, type ReportOptions, ReportStatus } from '../engine/ports/reporter.js';
import { ReportError, ReportValidationError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { Outcome } from '../store/run-record.js';
import {
  assertFailureType,
  assertPercent,
  CodePipelineLimits,
  outputVariablesProblem,
} from './limits.js';

/** Options of {@link CodePipelineReporter}. */
export interface CodePipelineReporterOptions {
  client: CodePipelineClient;
  logger: Logger;
  /**
   * Delay before the first retry of a transient error, in ms.
   * @default 100
   */
  minRetryDelayMs?: number;
  /**
   * Largest delay between retries, in ms.
   * @default 2000
   */
  maxRetryDelayMs?: number;
}

/** Errors worth retrying: throttling, 5xx, timeouts, dropped connections. */
const TRANSIENT = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

function isTransient(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const meta = (err as { $metadata?: { httpStatusCode?: number } }).$metadata;
  const code = (err as { code?: string }).code;
  return (
    TRANSIENT.has(err.name) ||
    (code !== undefined && TRANSIENT.has(code)) ||
    (meta?.httpStatusCode !== undefined && meta.httpStatusCode >= 500) ||
    (err as { $retryable?: unknown }).$retryable !== undefined
  );
}

/**
 * The {@link Reporter} on CodePipeline: sends committed outcomes as
 * `PutJobSuccessResult` (with a continuation token or output variables) or
 * `PutJobFailureResult`. Checks
 * the API's limits first, retries transient errors with backoff until the
 * deadline, and tells `InvalidJobStateException` after an attempt that may
 * have landed (already reported) from one on the first attempt (refused).
 *
 * @example
 * ```ts
 * const reporter = new CodePipelineReporter({ client: new CodePipelineClient({}), logger });
 * await reporter.report(outcome, runId, 5000);
 * ```
 */
export class CodePipelineReporter implements Reporter {
  readonly #client: CodePipelineClient;
  readonly #logger: Logger;
  readonly #minDelay: number;
  readonly #maxDelay: number;

  public constructor(options: CodePipelineReporterOptions) {
    this.#client = options.client;
    this.#logger = options.logger;
    this.#minDelay = options.minRetryDelayMs ?? 100;
    this.#maxDelay = options.maxRetryDelayMs ?? 2000;
  }

  /**
   * Reports `outcome` for its job, retrying transient errors for at most
   * `timeBudgetMs`. Throws {@link ReportError} when it could not be sent in time,
   * {@link ReportValidationError} when the outcome breaks an API limit.
   *
   * @example
   * ```ts
   * const status = await reporter.report(run.outcome, run.runId, context.getRemainingTimeInMillis());
   * ```
   */
  public async report(
    outcome: Outcome,
    runId: string,
    timeBudgetMs: number,
    options: ReportOptions = {},
  ): Promise<ReportStatus> {
    const command = buildCommand(outcome, runId);
    const end = Date.now() + Math.max(0, timeBudgetMs);
    // Attempts made: CodePipeline's refusal means "no result any more" only
    // when it answers the first one. After any earlier attempt, the refusal may
    // answer our own result (an attempt applied whose answer was lost, a 5xx)
    // or the same committed outcome a concurrent duplicate sent meanwhile
    // (while we were throttled).
    let attempts = 0;
    try {
      await pRetry(
        async () => {
          attempts += 1;
          // No attempt may outlive the budget: the invocation must end in time.
          // (A controller and a timer: AbortSignal.timeout costs a cold start about 1 ms more.)
          const timeout = new AbortController();
          const timer = setTimeout(
            () => timeout.abort(new DOMException('report attempt timed out', 'TimeoutError')),
            Math.max(1, end - Date.now()),
          );
          timer.unref();
          try {
            await this.#client.send(command as PutJobSuccessResultCommand, {
              abortSignal: timeout.signal,
            });
          } catch (err) {
            if (isInvalidJobState(err)) throw new AbortError(err as Error);
            if (!isTransient(err)) throw new AbortError(err as Error);
            throw err;
          } finally {
            clearTimeout(timer);
          }
        },
        {
          retries: 20,
          minTimeout: this.#minDelay,
          maxTimeout: this.#maxDelay,
          factor: 2,
          randomize: true,
          maxRetryTime: Math.max(0, timeBudgetMs),
          // Called only when a retry follows (onFailedAttempt is also called for the last failure).
          shouldRetry: () => {
            options.onRetry?.();
            return true;
          },
          onFailedAttempt: ({ error, attemptNumber, retryDelay }) => {
            this.#logger.warn('report failed; retrying', {
              jobId: outcome.jobId,
              attempt: attemptNumber,
              retryDelayMs: retryDelay,
              error: { name: error.name, message: error.message },
            });
          },
        },
      );
      return ReportStatus.Sent;
    } catch (err) {
      if (isInvalidJobState(err)) {
        if (attempts === 1) {
          this.#logger.info('CodePipeline refused the result: the job takes none any more', {
            jobId: outcome.jobId,
          });
          return ReportStatus.Refused;
        }
        this.#logger.info('job already has a result; counting the report as done', {
          jobId: outcome.jobId,
          attempts,
        });
        return ReportStatus.AlreadyReported;
      }
      const name = err instanceof Error ? err.name : 'Error';
      const message = err instanceof Error ? err.message : String(err);
      throw new ReportError(
        `reporting ${outcome.kind} for job ${outcome.jobId} failed: ${name}: ${message}`,
        {
          cause: err,
        },
      );
    }
  }
}

function isInvalidJobState(err: unknown): boolean {
  return err instanceof Error && err.name === 'InvalidJobStateException';
}

/**
 * Builds the CodePipeline command for an outcome, checking every limit.
 *
 * @example
 * ```ts
 * const cmd = buildCommand({ kind: 'fail', jobId, jobSeq: 0, failureType: 'JobFailed', message: 'x' }, runId);
 * ```
 */
export function buildCommand(
  outcome: Outcome,
  runId: string,
): PutJobSuccessResultCommand | PutJobFailureResultCommand {
  const externalExecutionId = runId.slice(0, CodePipelineLimits.externalExecutionIdMax);
  checkLength(
    'summary',
    'summary' in outcome ? outcome.summary : undefined,
    CodePipelineLimits.summaryMax,
  );
  switch (outcome.kind) {
    case 'continue': {
      checkLength(
        'continuationToken',
        outcome.continuationToken,
        CodePipelineLimits.continuationTokenMax,
        true,
      );
      assertPercent(outcome.percentComplete);
      return new PutJobSuccessResultCommand({
        jobId: outcome.jobId,
        continuationToken: outcome.continuationToken,
        executionDetails: {
          externalExecutionId,
          ...(outcome.summary === undefined ? {} : { summary: outcome.summary }),
          ...(outcome.percentComplete === undefined
            ? {}
            : { percentComplete: outcome.percentComplete }),
        },
      });
    }
    case 'succeed': {
      const problem = outputVariablesProblem(outcome.outputVariables);
      if (problem) throw new ReportValidationError(problem);
      const hasVariables =
        outcome.outputVariables !== undefined && Object.keys(outcome.outputVariables).length > 0;
      return new PutJobSuccessResultCommand({
        jobId: outcome.jobId,
        executionDetails: {
          externalExecutionId,
          percentComplete: 100,
          ...(outcome.summary === undefined ? {} : { summary: outcome.summary }),
        },
        ...(hasVariables ? { outputVariables: outcome.outputVariables } : {}),
      });
    }
    case 'fail': {
      assertFailureType(outcome.failureType);
      checkLength('failure message', outcome.message, CodePipelineLimits.failureMessageMax, true);
      return new PutJobFailureResultCommand({
        jobId: outcome.jobId,
        failureDetails: {
          type: outcome.failureType,
          message: outcome.message,
          externalExecutionId,
        },
      });
    }
  }
}

function checkLength(what: string, text: string | undefined, max: number, required = false): void {
  if (text === undefined) {
    if (required) throw new ReportValidationError(`${what} is required`);
    return;
  }
  if (text.length < 1 || text.length > max) {
    throw new ReportValidationError(`${what} must be 1–${max} characters, got ${text.length}`);
  }
}
