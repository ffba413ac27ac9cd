import type { ConfigurationError } from '../errors.js';
import { CodePipelineLimits, fitText } from '../pipeline/limits.js';
import type { Outcome } from '../store/run-record.js';
import { type InvocationBudget, reportBudgetMs } from './budget.js';
import type { Clock } from './clock.js';
import type { Reporter, ReportStatus } from './ports/reporter.js';

/**
 * Sends a committed (or rejection) outcome, with the time left before the
 * report guard.
 *
 * @example
 * ```ts
 * const status = await report(reporter, outcome, runId, budget, clock);
 * ```
 */
export function report(
  reporter: Reporter,
  outcome: Outcome,
  runId: string,
  budget: InvocationBudget,
  clock: Clock,
): Promise<ReportStatus> {
  return reporter.report(outcome, runId, reportBudgetMs(budget, clock.now()));
}

/**
 * The outcome that tells CodePipeline the job's configuration is wrong. Such
 * a job is answered without a claim, so it carries `jobSeq` 0.
 *
 * @example
 * ```ts
 * rejection(jobId, new ConfigurationError('UserParameters is not valid JSON'));
 * ```
 */
export function rejection(jobId: string, error: ConfigurationError): Outcome {
  return {
    kind: 'fail',
    jobId,
    jobSeq: 0,
    failureType: 'ConfigurationError',
    message: fitText(error.message, CodePipelineLimits.failureMessageMax) ?? 'configuration error',
  };
}
