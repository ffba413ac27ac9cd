import type { JsonValue } from '@baton/core';
import { displayUrl } from './display-url.js';
import { ACCEPT_ENCODING, BodyTooLargeError, exchange, formatBytes } from './http-exchange.js';
import { parseJsonText } from './json-text.js';
import { printable } from './outside-text.js';
import {
  type HopRequest,
  RedirectMode,
  redirectedRequest,
  redirectRefusal,
} from './redirect-policy.js';
import { parseRetryAfter } from './retry-after.js';
import { loopbackAllowed, RefusedTargetError } from './target-policy.js';

export { RedirectMode } from './redirect-policy.js';

/** Default largest response body: plenty for a status document, small for a 128 MB function. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** One HTTP request. */
export interface JsonRequest {
  /** Absolute http(s) URL. */
  readonly url: string;
  /**
   * HTTP method.
   * @default 'GET'
   */
  readonly method?: string;
  /** Request headers. `accept: application/json` is added unless given. */
  readonly headers?: Readonly<Record<string, string>> | Headers;
  /**
   * Request body. A string is sent as it is, with
   * `content-type: text/plain; charset=utf-8` unless given; any other JSON
   * value is sent JSON-encoded with `content-type: application/json` (unless
   * given).
   * @default no body
   */
  readonly body?: JsonValue;
}

/** Options of {@link fetchJson}. */
export interface FetchJsonOptions {
  /** Seconds to wait for the whole response (redirects, headers and body). */
  readonly timeoutSeconds: number;
  /**
   * Caller's abort signal (a step's `signal`). When it aborts, `fetchJson`
   * rejects with its reason instead of an {@link HttpRequestError}.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Largest response body in bytes, on the wire and decompressed alike. A
   * `Content-Length` above it is refused before reading.
   * @default {@link DEFAULT_MAX_RESPONSE_BYTES} (4 MiB)
   */
  readonly maxResponseBytes?: number | undefined;
  /**
   * Which redirects are followed: `same-origin` (same scheme, host and port)
   * or `none`. A redirect not followed is returned as the response, with
   * `redirect` saying why.
   * @default 'same-origin'
   */
  readonly redirects?: RedirectMode | undefined;
  /**
   * Whether loopback, link-local and unspecified addresses may be reached.
   * @default true only when the environment has `BATON_HTTP_ALLOW_LOOPBACK=1`
   */
  readonly allowLoopback?: boolean | undefined;
  /**
   * Integers beyond `Number.MAX_SAFE_INTEGER` in the body parse as strings of
   * their exact digits instead of rounded numbers.
   * @default false
   */
  readonly exactIntegers?: boolean | undefined;
}

/** A response, its body read as text and, when it is JSON, parsed. */
export interface JsonResponse {
  /** HTTP status code. */
  readonly status: number;
  /** HTTP reason phrase, without control characters (often empty). */
  readonly statusText: string;
  /** The body as text. */
  readonly text: string;
  /** The body parsed as JSON; `undefined` when it is empty or not JSON. */
  readonly json: JsonValue | undefined;
  /** Seconds asked for by a `Retry-After` header, when there is one. */
  readonly retryAfterSeconds?: number;
  /** A redirect that was not followed: where it pointed (display form) and why. */
  readonly redirect?: { readonly location: string; readonly refused: string };
}

/** Why a request got no usable response. */
export const HttpFailureReason = {
  /** No complete response within the request timeout. */
  Timeout: 'timeout',
  /** Connection refused or reset, DNS failure, TLS error, … */
  Network: 'network',
  /** The body is larger than `maxResponseBytes`. */
  TooLarge: 'too-large',
  /** The target address is loopback or link-local and those are not allowed. */
  Refused: 'refused',
} as const;
export type HttpFailureReason = (typeof HttpFailureReason)[keyof typeof HttpFailureReason];

/** A request that got no usable HTTP response. */
export class HttpRequestError extends Error {
  override readonly name = 'HttpRequestError';
  /** Why there was no response. */
  readonly reason: HttpFailureReason;
  /** Short description for summaries (`ECONNREFUSED`, `no response within 10s`). */
  readonly detail: string;
  /** Status of a response whose body was refused (`too-large`). */
  readonly status: number | undefined;

  constructor(
    reason: HttpFailureReason,
    detail: string,
    url: string,
    options?: ErrorOptions & { status?: number },
  ) {
    super(`${detail} (${displayUrl(url)})`, options);
    this.reason = reason;
    this.detail = detail;
    this.status = options?.status;
  }
}

/**
 * Sends one request, bounded by a per-request timeout, the caller's signal
 * and a body size limit, and reads the body. HTTP error statuses are
 * returned, not thrown: callers decide what a 404 or 503 means. Redirects are
 * followed by Baton (at most 5, same origin only by default), so headers
 * never reach another origin. Loopback and link-local targets are refused
 * unless allowed.
 *
 * @throws {@link HttpRequestError} when no usable response arrives (network
 *   error, timeout, body over the limit, refused target).
 * @throws the caller signal's reason when that signal aborts.
 *
 * @example
 * ```ts
 * const response = await fetchJson(
 *   { url: 'https://api.example.com/health' },
 *   { timeoutSeconds: 10, signal: ctx.signal },
 * );
 * if (response.status === 200 && response.json !== undefined) { ... }
 * ```
 */
export async function fetchJson(
  request: JsonRequest,
  options: FetchJsonOptions,
): Promise<JsonResponse> {
  const headers = new Headers(request.headers);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  headers.set('accept-encoding', ACCEPT_ENCODING);
  let body: string | undefined;
  if (typeof request.body === 'string') {
    body = request.body;
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain; charset=utf-8');
  } else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const maxBodyBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const timeout = AbortSignal.timeout(Math.max(1, Math.round(options.timeoutSeconds * 1000)));
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const limits = { maxBodyBytes, allowLoopback: loopbackAllowed(options.allowLoopback), signal };
  const mode = options.redirects ?? RedirectMode.SameOrigin;
  let current: HopRequest = {
    url: new URL(request.url),
    method: request.method ?? 'GET',
    headers: Object.fromEntries(headers),
    body,
  };
  try {
    for (let hop = 0; ; hop += 1) {
      const raw = await exchange(current, limits);
      const location = raw.headers.location;
      const base = {
        status: raw.status,
        statusText: printable(raw.statusText, 100),
        ...optionalRetryAfter(raw.headers['retry-after']),
      };
      if (raw.status >= 300 && raw.status < 400 && location !== undefined) {
        const refusal = redirectRefusal(mode, current.url, location, hop);
        if (refusal === undefined) {
          current = redirectedRequest(current, raw.status, location);
          continue;
        }
        return { ...base, text: '', json: undefined, redirect: refusal };
      }
      const text = raw.body.toString('utf8');
      return {
        ...base,
        text,
        json: parseJsonText(text, { exactIntegers: options.exactIntegers ?? false }),
      };
    }
  } catch (err) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) {
      throw new HttpRequestError(
        HttpFailureReason.Timeout,
        `no response within ${options.timeoutSeconds}s`,
        request.url,
        { cause: err },
      );
    }
    if (err instanceof BodyTooLargeError) {
      throw new HttpRequestError(
        HttpFailureReason.TooLarge,
        `HTTP ${err.status}, body over the ${formatBytes(err.limit)} limit (maxResponseBytes)`,
        request.url,
        { cause: err, status: err.status },
      );
    }
    if (err instanceof RefusedTargetError) {
      throw new HttpRequestError(HttpFailureReason.Refused, err.detail, request.url, {
        cause: err,
      });
    }
    throw new HttpRequestError(HttpFailureReason.Network, networkDetail(err), request.url, {
      cause: err,
    });
  }
}

function optionalRetryAfter(header: string | undefined): { retryAfterSeconds?: number } {
  const seconds = parseRetryAfter(header);
  return seconds === undefined ? {} : { retryAfterSeconds: seconds };
}

/** A short, printable description of a socket or TLS error; codes are enough. */
function networkDetail(err: unknown): string {
  if (err instanceof RefusedTargetError) return err.detail;
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string') return `network error ${printable(code, 60)}`;
  const message = err instanceof Error ? err.message : String(err);
  return `network error: ${printable(message, 160)}`;
}
