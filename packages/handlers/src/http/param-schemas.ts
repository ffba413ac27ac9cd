import * as z from 'zod/mini';
import { JSON_PATH_PATTERN } from './json-path.js';
import './zod-setup.js';

/** Methods a poll or start request may use. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

// RFC 9110 token characters; values as Node's HTTP client accepts them
// (tab, visible ASCII, Latin-1): no CR/LF to smuggle in, nothing above U+00FF.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Headers Baton sets itself or that change how the message is framed or the
 * connection is used: a value from `UserParameters` would break every request
 * or let one request smuggle another.
 */
export const RESERVED_HEADERS: readonly string[] = [
  'accept-encoding',
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];
const MAX_HEADER_BYTES = 8192;

/**
 * Schema of an absolute http(s) URL whose messages name `field`.
 *
 * @example
 * ```ts
 * z.object({ url: httpUrlSchema('url') });
 * ```
 */
export function httpUrlSchema(field: string): z.ZodMiniType<string> {
  return z
    .url({
      protocol: /^https?$/,
      error: (issue) =>
        issue.input === undefined
          ? `${field} is required`
          : `${field} must be an absolute http:// or https:// URL`,
    })
    .check(z.refine((url) => !hasUserInfo(url), { error: userInfoMessage(field) }));
}

/**
 * True when a URL carries user info (`https://user:pw@host/`). Such URLs are
 * refused: the credentials would be sent on every request and would show up in
 * any error text that quotes the URL.
 */
export function hasUserInfo(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

/** The message for a URL with user info in `field`. */
export function userInfoMessage(field: string): string {
  return `${field} must not contain user info (user:password@): send credentials in headers`;
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
          error: `${field} values may hold tab, printable ASCII and Latin-1 characters only (no line breaks or control characters)`,
        }),
        z.maxLength(MAX_HEADER_BYTES, {
          error: `${field} values must be at most ${MAX_HEADER_BYTES} characters`,
        }),
      ),
      { error: `${field} must be an object of header names to string values` },
    )
    .check(
      z.superRefine((headers, ctx) => {
        for (const name of Object.keys(headers)) {
          if (!HEADER_NAME.test(name)) {
            ctx.issues.push({
              code: 'custom',
              input: name,
              path: [name],
              message: `${field} has an invalid header name ${JSON.stringify(name.slice(0, 40))} (letters, digits and !#$%&'*+-.^_\`|~ only)`,
            });
          } else if (RESERVED_HEADERS.includes(name.toLowerCase())) {
            ctx.issues.push({
              code: 'custom',
              input: name,
              path: [name],
              message: `${field} must not set ${name.toLowerCase()}: Baton sets it or it changes how the request is sent`,
            });
          }
        }
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
export function secondsSchema(field: string, max?: number, min?: number): z.ZodMiniNumber<number> {
  const number = z.number({ error: `${field} must be a number of seconds` });
  const low =
    min === undefined
      ? number.check(z.positive({ error: `${field} must be > 0` }))
      : number.check(z.minimum(min, { error: `${field} must be at least ${min}` }));
  return max === undefined
    ? low
    : low.check(z.maximum(max, { error: `${field} must be at most ${max}` }));
}

/**
 * Schema of a whole number from `min` to `max` naming `field`.
 *
 * @example
 * ```ts
 * z.object({ maxAuthFailures: z._default(countSchema('maxAuthFailures', 1, 100), 3) });
 * ```
 */
export function countSchema(field: string, min: number, max: number): z.ZodMiniNumber<number> {
  return z
    .number({ error: `${field} must be a whole number` })
    .check(
      z.int({ error: `${field} must be a whole number` }),
      z.minimum(min, { error: `${field} must be at least ${min}` }),
      z.maximum(max, { error: `${field} must be at most ${max}` }),
    );
}
