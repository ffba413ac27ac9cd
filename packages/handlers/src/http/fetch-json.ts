import type { JsonValue } from '@baton/core';
import { displayUrl } from './display-url.js';

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
   * Request body. A string is sent as it is; any other JSON value is sent
   * JSON-encoded with `content-type: application/json` (unless given).
   * @default no body
   */
  readonly body?: JsonValue;
}

/** Options of {@link fetchJson}. */
export interface FetchJsonOptions {
  /** Seconds to wait for the whole response (headers and body). */
  readonly timeoutSeconds: number;
  /**
   * Caller's abort signal (a step's `signal`). When it aborts, `fetchJson`
   * rejects with its reason instead of an {@link HttpRequestError}.
   */
  readonly signal?: AbortSignal;
}

/** A response, its body read as text and, when it is JSON, parsed. */
export interface JsonResponse {
  /** HTTP status code. */
  readonly status: number;
  /** HTTP reason phrase (often empty with HTTP/2). */
  readonly statusText: string;
  /** The body as text. */
  readonly text: string;
  /** The body parsed as JSON; `undefined` when it is empty or not JSON. */
  readonly json: JsonValue | undefined;
}

/** Why a request got no response. */
export const HttpFailureReason = {
  /** No complete response within the request timeout. */
  Timeout: 'timeout',
  /** Connection refused or reset, DNS failure, TLS error, … */
  Network: 'network',
} as const;
export type HttpFailureReason = (typeof HttpFailureReason)[keyof typeof HttpFailureReason];

/** A request that got no HTTP response at all. */
export class HttpRequestError extends Error {
  override readonly name = 'HttpRequestError';
  /** Why there was no response. */
  readonly reason: HttpFailureReason;
  /** Short description for summaries (`ECONNREFUSED`, `no response within 10s`). */
  readonly detail: string;

  constructor(reason: HttpFailureReason, detail: string, url: string, options?: ErrorOptions) {
    super(`${detail} (${displayUrl(url)})`, options);
    this.reason = reason;
    this.detail = detail;
  }
}

/**
 * Sends one request with Node's `fetch`, bounded by a per-request timeout and
 * the caller's signal, and reads the body. HTTP error statuses are returned,
 * not thrown: callers decide what a 404 or 503 means.
 *
 * @throws {@link HttpRequestError} when no response arrives (network error, timeout).
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
  let body: string | undefined;
  if (typeof request.body === 'string') {
    body = request.body;
  } else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const timeout = AbortSignal.timeout(Math.max(1, Math.round(options.timeoutSeconds * 1000)));
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetch(request.url, {
      method: request.method ?? 'GET',
      headers,
      body,
      signal,
    });
    // Reading the body is part of the request: the timeout covers it too.
    const text = await response.text();
    return {
      status: response.status,
      statusText: response.statusText,
      text,
      json: parseJson(text),
    };
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
    throw new HttpRequestError(HttpFailureReason.Network, networkDetail(err), request.url, {
      cause: err,
    });
  }
}

function parseJson(text: string): JsonValue | undefined {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/** undici reports `TypeError: fetch failed` and hides the useful part in `cause`. */
function networkDetail(err: unknown): string {
  const cause = (err as { cause?: unknown })?.cause;
  const code = (cause as { code?: unknown })?.code;
  if (typeof code === 'string') return `network error ${code}`;
  const message = cause instanceof Error ? cause.message : (err as Error)?.message;
  return `network error: ${message ?? String(err)}`;
}
