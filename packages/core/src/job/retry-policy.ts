import { JobDefinitionError } from '../errors.js';

/**
 * How a step is retried when it throws. Retries that need a delay happen
 * through continuations, not by sleeping out the invocation. Defaults follow
 * Temporal's activity retry policy.
 */
export interface RetryPolicy {
  /**
   * Total attempts, the first included. `1` disables retries.
   * @default 3
   */
  maximumAttempts?: number;
  /**
   * Delay before the first retry, in seconds.
   * @default 1
   */
  initialIntervalSeconds?: number;
  /**
   * Factor by which each further delay grows.
   * @default 2
   */
  backoffCoefficient?: number;
  /**
   * Upper bound of any delay, in seconds.
   * @default 100 × initialIntervalSeconds
   */
  maximumIntervalSeconds?: number;
  /**
   * Error names (`err.name`) that fail the job at once instead of retrying.
   * @default []
   */
  nonRetryableErrors?: readonly string[];
}

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
  const initial = policy.initialIntervalSeconds ?? DEFAULT_RETRY_POLICY.initialIntervalSeconds;
  const resolved: ResolvedRetryPolicy = {
    maximumAttempts: policy.maximumAttempts ?? DEFAULT_RETRY_POLICY.maximumAttempts,
    initialIntervalSeconds: initial,
    backoffCoefficient: policy.backoffCoefficient ?? DEFAULT_RETRY_POLICY.backoffCoefficient,
    maximumIntervalSeconds: policy.maximumIntervalSeconds ?? initial * 100,
    nonRetryableErrors: policy.nonRetryableErrors ?? DEFAULT_RETRY_POLICY.nonRetryableErrors,
  };
  if (!Number.isInteger(resolved.maximumAttempts) || resolved.maximumAttempts < 1) {
    throw new JobDefinitionError(`${where}.maximumAttempts must be an integer ≥ 1`);
  }
  if (!(resolved.initialIntervalSeconds >= 0)) {
    throw new JobDefinitionError(`${where}.initialIntervalSeconds must be ≥ 0`);
  }
  if (!(resolved.backoffCoefficient >= 1)) {
    throw new JobDefinitionError(`${where}.backoffCoefficient must be ≥ 1`);
  }
  if (!(resolved.maximumIntervalSeconds >= resolved.initialIntervalSeconds)) {
    throw new JobDefinitionError(
      `${where}.maximumIntervalSeconds must be ≥ initialIntervalSeconds`,
    );
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
