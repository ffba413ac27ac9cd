import type { JsonValue } from '@baton/core';
import { type Condition, evaluateCondition, previewJson } from './condition.js';
import {
  fetchJson,
  HttpFailureReason,
  HttpRequestError,
  type JsonRequest,
  type JsonResponse,
  RedirectMode,
} from './fetch-json.js';
import { readJsonPath } from './json-path.js';

/** What one poll found. */
export const PollOutcome = {
  /** A 2xx response that satisfies `successWhen` (or any 2xx without one). */
  Succeeded: 'succeeded',
  /** A response (below 500) that satisfies `failureWhen`. */
  Failed: 'failed',
  /** A response that satisfies neither: poll again. */
  Pending: 'pending',
  /** No response, a timeout, a 5xx or a body over the limit: poll again, but count it. */
  Unavailable: 'unavailable',
  /**
   * A request polling again cannot fix: the target address is refused, or a
   * redirect leads where Baton does not follow.
   */
  Refused: 'refused',
} as const;
export type PollOutcome = (typeof PollOutcome)[keyof typeof PollOutcome];

/** Options of {@link pollOnce}. */
export interface PollOnceOptions {
  /** The request to send. */
  readonly request: JsonRequest;
  /**
   * Condition on the JSON body of a 2xx response that means done.
   * @default none: any 2xx response succeeds
   */
  readonly successWhen?: Condition | undefined;
  /**
   * Condition on the JSON body of any response below 500 that means the
   * awaited thing failed. Checked before `successWhen`.
   * @default none
   */
  readonly failureWhen?: Condition | undefined;
  /**
   * Dotted path of a 0–100 number in the body reported as progress.
   * @default none
   */
  readonly progressPath?: string | undefined;
  /** Seconds to wait for the response. */
  readonly requestTimeoutSeconds: number;
  /**
   * Largest response body in bytes.
   * @default 4 MiB
   */
  readonly maxResponseBytes?: number | undefined;
  /**
   * Whether loopback and link-local targets may be polled.
   * @default `BATON_HTTP_ALLOW_LOOPBACK=1` in the environment
   */
  readonly allowLoopback?: boolean | undefined;
  /** Caller's abort signal: when it aborts, `pollOnce` rejects with its reason. */
  readonly signal?: AbortSignal | undefined;
}

/** The result of {@link pollOnce}. */
export type PollResult =
  | {
      readonly outcome: 'succeeded';
      readonly status: number;
      /** The value at `successWhen.path` (absent without `successWhen`). */
      readonly matchedValue?: JsonValue;
      /** What was seen, for summaries: `HTTP 200, status="SUCCEEDED"`. */
      readonly seen: string;
    }
  | {
      readonly outcome: 'failed';
      readonly status: number;
      /** The value at `failureWhen.path`. */
      readonly matchedValue: JsonValue;
      readonly seen: string;
    }
  | {
      readonly outcome: 'pending';
      readonly status: number;
      /** The value at `progressPath`, when it is a number. */
      readonly progress?: number;
      /** Seconds the response's `Retry-After` asks to wait. */
      readonly retryAfterSeconds?: number;
      readonly seen: string;
    }
  | {
      readonly outcome: 'unavailable';
      /** Set for a 5xx response; absent when no response arrived. */
      readonly status?: number;
      /** Seconds the response's `Retry-After` asks to wait. */
      readonly retryAfterSeconds?: number;
      /** `HTTP 503 Service Unavailable`, `network error ECONNREFUSED`, `no response within 10s`. */
      readonly seen: string;
    }
  | {
      readonly outcome: 'refused';
      /** Status of a redirect that was not followed. */
      readonly status?: number;
      /** `HTTP 302 to https://other.example/login not followed: it leads to another origin`. */
      readonly seen: string;
    };

/**
 * Sends one poll request and decides what the response means: `failureWhen`
 * first, then `successWhen`. Network errors, timeouts and 5xx responses come
 * back as `unavailable` rather than thrown, so a poller can count them and
 * keep going.
 *
 * @throws the caller signal's reason when that signal aborts.
 *
 * @example
 * ```ts
 * const result = await pollOnce({
 *   request: { url: 'https://api.example.com/deployments/42' },
 *   successWhen: { path: 'status', equals: 'SUCCEEDED' },
 *   failureWhen: { path: 'status', in: ['FAILED', 'ROLLED_BACK'] },
 *   requestTimeoutSeconds: 10,
 * });
 * if (result.outcome === 'pending') console.log(result.seen); // HTTP 200, status="IN_PROGRESS"
 * ```
 */
export async function pollOnce(options: PollOnceOptions): Promise<PollResult> {
  let response: JsonResponse;
  try {
    response = await fetchJson(options.request, {
      timeoutSeconds: options.requestTimeoutSeconds,
      signal: options.signal,
      maxResponseBytes: options.maxResponseBytes,
      allowLoopback: options.allowLoopback,
      redirects: RedirectMode.SameOrigin,
    });
  } catch (err) {
    if (!(err instanceof HttpRequestError)) throw err;
    if (err.reason === HttpFailureReason.Refused) return { outcome: 'refused', seen: err.detail };
    return err.status === undefined
      ? { outcome: 'unavailable', seen: err.detail }
      : { outcome: 'unavailable', status: err.status, seen: err.detail };
  }
  const { status, json } = response;
  const httpPart = `HTTP ${status}`;
  const retryAfter =
    response.retryAfterSeconds === undefined
      ? {}
      : { retryAfterSeconds: response.retryAfterSeconds };
  if (response.redirect) {
    const { location, refused } = response.redirect;
    return {
      outcome: 'refused',
      status,
      seen: `${httpPart} to ${location} not followed: ${refused}`,
    };
  }
  if (status >= 500) {
    const reason = response.statusText ? ` ${response.statusText}` : '';
    return { outcome: 'unavailable', status, seen: `${httpPart}${reason}`, ...retryAfter };
  }
  if (options.failureWhen) {
    const failure = evaluateCondition(options.failureWhen, json);
    if (failure.matched && failure.value !== undefined) {
      return {
        outcome: 'failed',
        status,
        matchedValue: failure.value,
        seen: `${httpPart}, ${options.failureWhen.path}=${previewJson(failure.value)}`,
      };
    }
  }
  const successWhen = options.successWhen;
  const is2xx = status >= 200 && status < 300;
  if (!successWhen) {
    if (is2xx) return { outcome: 'succeeded', status, seen: httpPart };
    return { outcome: 'pending', status, seen: httpPart, ...retryAfter };
  }
  const success = evaluateCondition(successWhen, json);
  const observed =
    json === undefined
      ? 'body is not JSON'
      : success.found
        ? `${successWhen.path}=${previewJson(success.value)}`
        : `${successWhen.path} missing`;
  const seen = `${httpPart}, ${observed}`;
  if (is2xx && success.matched && success.value !== undefined) {
    return { outcome: 'succeeded', status, matchedValue: success.value, seen };
  }
  const progress = readProgress(json, options.progressPath);
  return {
    outcome: 'pending',
    status,
    seen,
    ...(progress === undefined ? {} : { progress }),
    ...retryAfter,
  };
}

function readProgress(json: JsonValue | undefined, path: string | undefined): number | undefined {
  if (path === undefined) return undefined;
  const read = readJsonPath(json, path);
  return read.found && typeof read.value === 'number' && Number.isFinite(read.value)
    ? read.value
    : undefined;
}
