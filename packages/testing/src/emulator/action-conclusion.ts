import type { ActionSettings } from './action-settings.js';
import { type FailureDetails, FailureType } from './codepipeline-shapes.js';
import type { SerializedError } from './container-messages.js';
import type { JobResult } from './job-registry.js';
import { ActionFinishReason, type ActionStatus } from './timeline.js';

/** How a played action ended, before its result is put together. */
export interface Conclusion {
  status: ActionStatus;
  reason: ActionFinishReason;
  failureDetails?: FailureDetails;
  outputVariables: Record<string, string>;
}

/** The ways the emulator itself ends an action (CodePipeline's timeouts). */
export type TimeoutReason =
  | typeof ActionFinishReason.NoReply
  | typeof ActionFinishReason.ActionTimeout;

/**
 * What a job's accepted result makes of the action, or `undefined` when it
 * carries a continuation token (the action goes on).
 *
 * @example
 * ```ts
 * const conclusion = concludeFromResult(await job.result);
 * if (!conclusion) createNextJob();
 * ```
 */
export function concludeFromResult(result: JobResult): Conclusion | undefined {
  if (result.kind === 'failure') {
    return {
      status: 'Failed',
      reason: ActionFinishReason.FailureReported,
      failureDetails: result.input.failureDetails,
      outputVariables: {},
    };
  }
  if (result.input.continuationToken !== undefined) return undefined;
  return {
    status: 'Succeeded',
    reason: ActionFinishReason.Succeeded,
    outputVariables: result.input.outputVariables ?? {},
  };
}

/** The failure CodePipeline reports when one of its timeouts ends the action. */
export function concludeTimedOut(
  settings: ActionSettings,
  reason: TimeoutReason,
  jobId: string | undefined,
): Conclusion {
  const message =
    reason === ActionFinishReason.NoReply
      ? `The Lambda function ${settings.functionName} sent no result for job ${jobId} within ${formatMinutes(settings.noReplyTimeoutMs)}`
      : `The action did not complete within ${formatMinutes(settings.actionTimeoutMs)}`;
  return {
    status: 'Failed',
    reason,
    failureDetails: { type: FailureType.JobFailed, message },
    outputVariables: {},
  };
}

/** The failure that ends an action whose handler module cannot load. */
export function concludeNotLoadable(error: SerializedError): Conclusion {
  return {
    status: 'Failed',
    reason: ActionFinishReason.HandlerNotLoadable,
    failureDetails: {
      type: FailureType.JobFailed,
      message: `The handler cannot load: ${error.name}: ${error.message}`,
    },
    outputVariables: {},
  };
}

function formatMinutes(ms: number): string {
  const minutes = ms / 60_000;
  return minutes >= 120 ? `${minutes / 60} hours` : `${minutes} minutes`;
}
