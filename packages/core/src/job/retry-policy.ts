import { JobDefinitionError } from '../errors.js';
import { checkNumber } from './option-checks.js';

/**
 * How a step is retried when it throws. Retries that need a delay happen
 * through continuations, not by sleeping out the invocation. Defaults follow
 * Temporal's activity retry policy.
 */
export interface RetryPolicy {
  /**
   * Total attempts, the first included. `1` disables retries. An integer from
   * 1 to 10,000.
   * @default 3
   */
  maximumAttempts?: number;
  /**
   * Delay before the first retry, in seconds (0 to 84,600).
   * @default 1
   */
  initialIntervalSeconds?: number;
  /**
   * Factor by which each further delay grows (1 to 100).
   * @default 2
   */
  backoffCoefficient?: number;
  /**
   * Upper bound of any delay, in seconds (initialIntervalSeconds to 84,600).
   * @default 100 × initialIntervalSeconds, at most 84,600
   */
  maximumIntervalSeconds?: number;
  /**
   * Error names (`err.name`) that fail the job at once instead of retrying.
   * @default []
   */
  nonRetryableErrors?: readonly string[];
}

/** Most attempts a policy may allow. */
export const MAX_ATTEMPTS = 10_000;
/** Largest delay between attempts: a run's longest deadline (23.5 hours). */
export const MAX_INTERVAL_SECONDS = 23.5 * 60 * 60;
/** Largest `backoffCoefficient`. */
export const MAX_BACKOFF_COEFFICIENT = 100;

/** A retry policy with every field filled in. */
export type ResolvedRetryPolicy = Required<RetryPolicy>;

/** Defaults applied to fields a policy leaves out. */
export const DEFAULT_RETRY_POLICY = {
  maximumAttempts: 3,
  initialIntervalSeconds: 1,
  backoffCoefficient: 2,
  nonRetryableErrors: [] as readonly string[],
} as const;

/**
 * Fills a policy's defaults and checks its values.
 *
 * @example
 * ```ts
 * resolveRetryPolicy({ maximumAttempts: 5 }).initialIntervalSeconds; // 1
 * ```
 */
export function resolveRetryPolicy(policy: RetryPolicy = {}, where = 'retry'): ResolvedRetryPolicy {
  const initial = checkNumber(
    `${where}.initialIntervalSeconds`,
    policy.initialIntervalSeconds ?? DEFAULT_RETRY_POLICY.initialIntervalSeconds,
    { min: 0, max: MAX_INTERVAL_SECONDS },
  );
  const resolved: ResolvedRetryPolicy = {
    maximumAttempts: checkNumber(
      `${where}.maximumAttempts`,
      policy.maximumAttempts ?? DEFAULT_RETRY_POLICY.maximumAttempts,
      { min: 1, max: MAX_ATTEMPTS, integer: true },
    ),
    initialIntervalSeconds: initial,
    backoffCoefficient: checkNumber(
      `${where}.backoffCoefficient`,
      policy.backoffCoefficient ?? DEFAULT_RETRY_POLICY.backoffCoefficient,
      { min: 1, max: MAX_BACKOFF_COEFFICIENT },
    ),
    maximumIntervalSeconds: checkNumber(
      `${where}.maximumIntervalSeconds`,
      policy.maximumIntervalSeconds ?? Math.min(initial * 100, MAX_INTERVAL_SECONDS),
      { min: initial, max: MAX_INTERVAL_SECONDS, why: 'at least initialIntervalSeconds' },
    ),
    nonRetryableErrors: policy.nonRetryableErrors ?? DEFAULT_RETRY_POLICY.nonRetryableErrors,
  };
  if (
    !Array.isArray(resolved.nonRetryableErrors) ||
    !resolved.nonRetryableErrors.every((name) => typeof name === 'string')
  ) {
    throw new JobDefinitionError(`${where}.nonRetryableErrors must be an array of error names`);
  }
  return resolved;
}

/**
 * Delay before retry number `failedAttempts` (1 after the first failure).
 *
 * @example
 * ```ts
 * retryDelaySeconds(resolveRetryPolicy(), 2); // 2
 * ```
 */
export function retryDelaySeconds(policy: ResolvedRetryPolicy, failedAttempts: number): number {
  const raw = policy.initialIntervalSeconds * policy.backoffCoefficient ** (failedAttempts - 1);
  return Math.min(raw, policy.maximumIntervalSeconds);
}
