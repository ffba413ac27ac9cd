import { DEFAULT_DEADLINE_SECONDS } from '@baton/core';
import * as z from 'zod/mini';
import { type Condition, conditionSchema } from './condition.js';
import { JSON_PATH_PATTERN } from './json-path.js';
import './zod-setup.js';

/** Methods a poll or start request may use. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

// RFC 9110 token characters; values must not smuggle in CR/LF.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[^\r\n\0]*$/;

/**
 * Schema of an absolute http(s) URL whose messages name `field`.
 *
 * @example
 * ```ts
 * z.object({ url: httpUrlSchema('url') });
 * ```
 */
export function httpUrlSchema(field: string): z.ZodMiniType<string> {
  return z.url({
    protocol: /^https?$/,
    error: (issue) =>
      issue.input === undefined
        ? `${field} is required`
        : `${field} must be an absolute http:// or https:// URL`,
  });
}

/**
 * Schema of a dotted JSON path (`status`, `items.0.state`) naming `field`.
 *
 * @example
 * ```ts
 * z.object({ idPath: z._default(jsonPathSchema('idPath'), 'id') });
 * ```
 */
export function jsonPathSchema(field: string): z.ZodMiniType<string> {
  return z.string({ error: `${field} must be a string like "id" or "deployment.id"` }).check(
    z.regex(JSON_PATH_PATTERN, {
      error: `${field} must be a dotted path like "id" or "deployment.id"`,
    }),
  );
}

/**
 * Schema of request headers: an object of string values with valid names.
 *
 * @example
 * ```ts
 * z.object({ headers: z.optional(headersSchema('headers')) });
 * ```
 */
export function headersSchema(field: string): z.ZodMiniType<Record<string, string>> {
  return z
    .record(
      z.string(),
      z.string({ error: `${field} values must be strings` }).check(
        z.regex(HEADER_VALUE, {
          error: `${field} values must not contain line breaks`,
        }),
      ),
      { error: `${field} must be an object of header names to string values` },
    )
    .check(
      z.refine((headers) => Object.keys(headers).every((name) => HEADER_NAME.test(name)), {
        error: `${field} has an invalid header name`,
      }),
    );
}

/**
 * Schema of a method name, case-insensitive, naming `field`.
 *
 * @example
 * ```ts
 * z.object({ method: z._default(httpMethodSchema('method'), 'GET') });
 * ```
 */
export function httpMethodSchema(field: string): z.ZodMiniType<HttpMethod, unknown> {
  // `zod/mini` has no `z.preprocess`; `zod`'s is this same pipe.
  return z.pipe(
    z.transform((value: unknown) => (typeof value === 'string' ? value.toUpperCase() : value)),
    z.enum(HTTP_METHODS, { error: `${field} must be one of ${HTTP_METHODS.join(', ')}` }),
  );
}

/**
 * Schema of a positive number of seconds naming `field`; fractions allowed.
 *
 * @example
 * ```ts
 * z.object({ intervalSeconds: z._default(secondsSchema('intervalSeconds'), 30) });
 * ```
 */
export function secondsSchema(field: string, max?: number): z.ZodMiniNumber<number> {
  const positive = z
    .number({ error: `${field} must be a number of seconds` })
    .check(z.positive({ error: `${field} must be > 0` }));
  return max === undefined
    ? positive
    : positive.check(z.maximum(max, { error: `${field} must be at most ${max}` }));
}

/** Defaults a job gives the polling fields. */
export interface PollingDefaults {
  /** Default `successWhen`. @default none: any 2xx succeeds */
  readonly successWhen?: Condition;
  /** Default `failureWhen`. @default none */
  readonly failureWhen?: Condition;
  /** Default `progressPath`. @default none */
  readonly progressPath?: string;
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

/**
 * The `UserParameters` fields every polling job shares: `successWhen`,
 * `failureWhen`, `progressPath`, `intervalSeconds`, `timeoutSeconds`,
 * `requestTimeoutSeconds`. `timeoutSeconds` stays under the job deadline so
 * the poll timeout, with its clear message, always fires first.
 *
 * @example
 * ```ts
 * const schema = z.strictObject({ url: httpUrlSchema('url'), ...pollingFields() });
 * ```
 */
export function pollingFields(defaults: PollingDefaults = {}) {
  const condition = (field: 'successWhen' | 'failureWhen') => {
    const schema = conditionSchema(field);
    const fallback = defaults[field];
    return fallback === undefined ? z.optional(schema) : z._default(schema, fallback);
  };
  const progressPath = jsonPathSchema('progressPath');
  return {
    successWhen: condition('successWhen'),
    failureWhen: condition('failureWhen'),
    progressPath:
      defaults.progressPath === undefined
        ? z.optional(progressPath)
        : z._default(progressPath, defaults.progressPath),
    intervalSeconds: z._default(secondsSchema('intervalSeconds'), DEFAULT_INTERVAL_SECONDS),
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
  };
}
