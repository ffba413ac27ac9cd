import type { PollResult } from './poll-once.js';

/** Default `maxAuthFailures`: 401/403 answers in a row before the action fails. */
export const DEFAULT_MAX_AUTH_FAILURES = 3;

/** Statuses whose `Retry-After` sets the time to the next poll. */
export const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([409, 429, 503]);

/** Counters of answers that polling longer rarely fixes, kept in the poll state. */
export interface FailFastCounters {
  /** 401/403 answers in a row. */
  readonly authFailures: number;
  /** 404/410 answers in a row. */
  readonly notFound: number;
}

/** Limits of {@link failFast}. */
export interface FailFastLimits {
  /** 401/403 answers in a row that fail the action. */
  readonly maxAuthFailures: number;
  /** 404/410 answers in a row that fail the action; `undefined`: never. */
  readonly maxNotFound?: number | undefined;
}

/** What {@link failFast} decided: stop with `message`, or go on with the new counters. */
export type FailFastVerdict =
  | { readonly stop: true; readonly message: string }
  | { readonly stop: false; readonly counters: FailFastCounters };

/**
 * Decides whether a poll result means waiting cannot help: a refused target
 * or redirect at once; 401/403 after `maxAuthFailures` answers in a row (a
 * key being rotated gets a few polls); 404/410 after `maxNotFound` in a row
 * when set (some endpoints answer 404 until the thing exists).
 *
 * @example
 * ```ts
 * failFast({ outcome: 'pending', status: 401, seen: 'HTTP 401' }, { authFailures: 2, notFound: 0 }, { maxAuthFailures: 3 });
 * // { stop: true, message: 'HTTP 401 on 3 polls in a row: …' }
 * ```
 */
export function failFast(
  result: PollResult,
  counters: FailFastCounters,
  limits: FailFastLimits,
): FailFastVerdict {
  if (result.outcome === 'refused') return { stop: true, message: result.seen };
  const status = result.outcome === 'pending' ? result.status : undefined;
  const auth = status === 401 || status === 403;
  const missing = status === 404 || status === 410;
  const next = {
    authFailures: auth ? counters.authFailures + 1 : 0,
    notFound: missing ? counters.notFound + 1 : 0,
  };
  if (auth && next.authFailures >= limits.maxAuthFailures) {
    return {
      stop: true,
      message:
        `HTTP ${status} on ${inARow(next.authFailures)}: the endpoint does not accept ` +
        `the request's credentials (check headers; maxAuthFailures is ${limits.maxAuthFailures})`,
    };
  }
  if (missing && limits.maxNotFound !== undefined && next.notFound >= limits.maxNotFound) {
    return {
      stop: true,
      message: `HTTP ${status} on ${inARow(next.notFound)} (maxNotFound is ${limits.maxNotFound})`,
    };
  }
  return { stop: false, counters: next };
}

/**
 * Seconds the result's `Retry-After` asks for, when its status is one where
 * Baton honours it (409, 429, 503).
 */
export function retryAfterOf(result: PollResult): number | undefined {
  if (result.outcome !== 'pending' && result.outcome !== 'unavailable') return undefined;
  if (result.status === undefined || !RETRY_AFTER_STATUSES.has(result.status)) return undefined;
  return result.retryAfterSeconds;
}

function inARow(count: number): string {
  return count === 1 ? '1 poll' : `${count} polls in a row`;
}
