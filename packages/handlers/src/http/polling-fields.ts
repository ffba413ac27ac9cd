import { DEFAULT_DEADLINE_SECONDS } from '@baton/core';
import * as z from 'zod/mini';
import { type Condition, conditionSchema } from './condition.js';
import { DEFAULT_MAX_AUTH_FAILURES } from './fail-fast.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from './fetch-json.js';
import { countSchema, jsonPathSchema, secondsSchema } from './param-schemas.js';
import './zod-setup.js';

/** Defaults a job gives the polling fields. */
export interface PollingDefaults {
  /** Default `successWhen`. @default none: any 2xx succeeds */
  readonly successWhen?: Condition;
  /** Default `failureWhen`. @default none */
  readonly failureWhen?: Condition;
  /** Default `progressPath`. @default none */
  readonly progressPath?: string;
  /** Default `maxNotFound`. @default none: 404 and 410 are polled through */
  readonly maxNotFound?: number;
}

/**
 * A polling field that is optional, or has a default when the job gives one.
 * Named so declaration files print it the same way on every build (an
 * inferred union's member order depends on the checker's order of work).
 */
export type OptionalOrDefault<T extends z.ZodMiniType> = z.ZodMiniOptional<T> | z.ZodMiniDefault<T>;

function optionalOrDefault<T extends z.ZodMiniType>(
  schema: T,
  fallback: z.output<T> | undefined,
): OptionalOrDefault<T> {
  return fallback === undefined
    ? z.optional(schema)
    : z._default(schema, fallback as z.util.NoUndefined<z.core.output<T>>);
}

/** Default seconds between polls. */
export const DEFAULT_INTERVAL_SECONDS = 30;
/** Default seconds from the first poll before giving up. */
export const DEFAULT_TIMEOUT_SECONDS = 3600;
/** Default seconds to wait for one response. */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 10;
/** Largest `timeoutSeconds`: ten minutes under the default job deadline. */
export const MAX_TIMEOUT_SECONDS = DEFAULT_DEADLINE_SECONDS - 600;
/** Largest `requestTimeoutSeconds`. */
export const MAX_REQUEST_TIMEOUT_SECONDS = 600;
/** Smallest `intervalSeconds`: faster polling only loads the endpoint and the table. */
export const MIN_INTERVAL_SECONDS = 1;
/** Largest `maxResponseBytes` (64 MiB): a function of 128 MB cannot hold much more. */
export const MAX_RESPONSE_BYTES_LIMIT = 64 * 1024 * 1024;

/**
 * The `UserParameters` fields every polling job shares: `successWhen`,
 * `failureWhen`, `progressPath`, `intervalSeconds`, `timeoutSeconds`,
 * `requestTimeoutSeconds`, `maxResponseBytes`, `maxAuthFailures`,
 * `maxNotFound`. `timeoutSeconds` stays under the job deadline so
 * the poll timeout, with its clear message, always fires first.
 *
 * @example
 * ```ts
 * const schema = z.strictObject({ url: httpUrlSchema('url'), ...pollingFields() });
 * ```
 */
export function pollingFields(defaults: PollingDefaults = {}) {
  return {
    successWhen: optionalOrDefault(conditionSchema('successWhen'), defaults.successWhen),
    failureWhen: optionalOrDefault(conditionSchema('failureWhen'), defaults.failureWhen),
    progressPath: optionalOrDefault(jsonPathSchema('progressPath'), defaults.progressPath),
    intervalSeconds: z._default(
      secondsSchema('intervalSeconds', undefined, MIN_INTERVAL_SECONDS),
      DEFAULT_INTERVAL_SECONDS,
    ),
    // Ten minutes under the job deadline, so the poll timeout (which names the
    // last status seen) fires before the engine's generic deadline failure.
    timeoutSeconds: z._default(
      secondsSchema('timeoutSeconds', MAX_TIMEOUT_SECONDS),
      DEFAULT_TIMEOUT_SECONDS,
    ),
    // One request must fit in one invocation (at most 15 minutes) with room to spare.
    requestTimeoutSeconds: z._default(
      secondsSchema('requestTimeoutSeconds', MAX_REQUEST_TIMEOUT_SECONDS),
      DEFAULT_REQUEST_TIMEOUT_SECONDS,
    ),
    maxResponseBytes: z._default(
      countSchema('maxResponseBytes', 1024, MAX_RESPONSE_BYTES_LIMIT),
      DEFAULT_MAX_RESPONSE_BYTES,
    ),
    // Credentials do not fix themselves: a few in a row (a key being rotated) and stop.
    maxAuthFailures: z._default(countSchema('maxAuthFailures', 1, 100), DEFAULT_MAX_AUTH_FAILURES),
    maxNotFound: optionalOrDefault(countSchema('maxNotFound', 1, 10_000), defaults.maxNotFound),
  };
}
