import { type ResolvedRetryPolicy, retryDelaySeconds } from '../../job/retry-policy.js';
import type { Logger } from '../../logging/logger.js';
import type { TransitionInput, Verdict } from './verdict.js';
import { failRun } from './verdict.js';

/** A step that threw (or returned no transition), as the retry decision sees it. */
export interface StepError {
  error: Error;
  /** `false` for errors no retry can fix (not a transition, unknown step). */
  retryable: boolean;
  /** The error as stored: one line, secrets removed. */
  text: string;
}

/**
 * A step threw: the retry policy decides between another attempt after a
 * backoff delay and the end of the run.
 *
 * @example
 * ```ts
 * applyStepError({ error, retryable: true, text }, policy, input, logger);
 * ```
 */
export function applyStepError(
  failure: StepError,
  policy: ResolvedRetryPolicy,
  input: TransitionInput,
  logger: Logger,
): Verdict {
  const { cursor } = input;
  const { error, text } = failure;
  const nonRetryable = !failure.retryable || policy.nonRetryableErrors.includes(error.name);
  if (nonRetryable || cursor.attempt >= policy.maximumAttempts) {
    const why = nonRetryable
      ? `step '${cursor.step}' failed with a non-retryable error`
      : `step '${cursor.step}' failed after ${cursor.attempt} attempt${cursor.attempt === 1 ? '' : 's'}`;
    logger.error(why, { error });
    const verdict = failRun(
      { ...input, cursor: { ...cursor, lastError: text } },
      `${why}: ${text}`,
      {
        outcome: 'error',
        detail: text,
      },
    );
    return verdict;
  }
  const delay = retryDelaySeconds(policy, cursor.attempt);
  if (input.now + delay * 1000 > input.deadlineAt) {
    const why = `step '${cursor.step}' failed (attempt ${cursor.attempt}), and its retry in ${delay} s would start after the run's deadline (${new Date(input.deadlineAt).toISOString()})`;
    logger.error(why, { error });
    return failRun({ ...input, cursor: { ...cursor, lastError: text } }, `${why}: ${text}`, {
      outcome: 'error',
      detail: text,
    });
  }
  logger.warn('step failed; will retry', { error, retryInSeconds: delay });
  return {
    kind: 'next',
    cursor: {
      ...cursor,
      attempt: cursor.attempt + 1,
      resumeAt: input.now + delay * 1000,
      lastError: text,
    },
    note: { outcome: 'error', detail: `${text}; retry in ${delay} s` },
  };
}
