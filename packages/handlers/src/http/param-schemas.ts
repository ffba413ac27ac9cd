import { DEFAULT_DEADLINE_SECONDS } from '@baton/core';
import { z } from 'zod';
import { type Condition, conditionSchema } from './condition.js';
import { JSON_PATH_PATTERN } from './json-path.js';

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
export function httpUrlSchema(field: string): z.ZodType<string> {
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
 * z.object({ idPath: jsonPathSchema('idPath').default('id') });
 * ```
 */
export function jsonPathSchema(field: string): z.ZodType<string> {
  return z
    .string({ error: `${field} must be a string like "id" or "deployment.id"` })
    .regex(JSON_PATH_PATTERN, {
      error: `${field} must be a dotted path like "id" or "deployment.id"`,
    });
}

/**
 * Schema of request headers: an object of string values with valid names.
 *
 * @example
 * ```ts
 * z.object({ headers: headersSchema('headers').optional() });
 * ```
 */
export function headersSchema(field: string): z.ZodType<Record<string, string>> {
  return z
    .record(
      z.string(),
      z.string({ error: `${field} values must be strings` }).regex(HEADER_VALUE, {
        error: `${field} values must not contain line breaks`,
      }),
      { error: `${field} must be an object of header names to string values` },
    )
    .refine((headers) => Object.keys(headers).every((name) => HEADER_NAME.test(name)), {
      error: `${field} has an invalid header name`,
    });
}

/**
 * Schema of a method name, case-insensitive, naming `field`.
 *
 * @example
 * ```ts
 * z.object({ method: httpMethodSchema('method').default('GET') });
 * ```
 */
export function httpMethodSchema(field: string): z.ZodType<HttpMethod, unknown> {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.toUpperCase() : value),
    z.enum(HTTP_METHODS, { error: `${field} must be one of ${HTTP_METHODS.join(', ')}` }),
  );
}

/**
 * Schema of a positive number of seconds naming `field`; fractions allowed.
 *
 * @example
 * ```ts
 * z.object({ intervalSeconds: secondsSchema('intervalSeconds').default(30) });
 * ```
 */
export function secondsSchema(field: string, max?: number): z.ZodNumber {
  const positive = z
    .number({ error: `${field} must be a number of seconds` })
    .positive({ error: `${field} must be > 0` });
  return max === undefined
    ? positive
    : positive.max(max, { error: `${field} must be at most ${max}` });
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
 * const schema = z.object({ url: httpUrlSchema('url'), ...pollingFields() }).strict();
 * ```
 */
export function pollingFields(defaults: PollingDefaults = {}) {
  const condition = (field: 'successWhen' | 'failureWhen') => {
    const schema = conditionSchema(field);
    const fallback = defaults[field];
    return fallback === undefined ? schema.optional() : schema.default(fallback);
  };
  const progressPath = jsonPathSchema('progressPath');
  return {
    successWhen: condition('successWhen'),
    failureWhen: condition('failureWhen'),
    progressPath:
      defaults.progressPath === undefined
        ? progressPath.optional()
        : progressPath.default(defaults.progressPath),
    intervalSeconds: secondsSchema('intervalSeconds').default(DEFAULT_INTERVAL_SECONDS),
    // Ten minutes under the job deadline, so the poll timeout (which names the
    // last status seen) fires before the engine's generic deadline failure.
    timeoutSeconds: secondsSchema('timeoutSeconds', MAX_TIMEOUT_SECONDS).default(
      DEFAULT_TIMEOUT_SECONDS,
    ),
    // One request must fit in one invocation (at most 15 minutes) with room to spare.
    requestTimeoutSeconds: secondsSchema(
      'requestTimeoutSeconds',
      MAX_REQUEST_TIMEOUT_SECONDS,
    ).default(DEFAULT_REQUEST_TIMEOUT_SECONDS),
  };
}
