import { fail, type Logger, succeed, type Transition, wait } from '@baton/core';
import { type Condition, describeCondition } from './condition.js';
import { DEFAULT_MAX_AUTH_FAILURES, failFast, retryAfterOf } from './fail-fast.js';
import type { JsonRequest } from './fetch-json.js';
import { pollOnce } from './poll-once.js';

/** What a polling step keeps in the run's state between polls. */
export interface PollState {
  /** Epoch milliseconds of the first poll: the timeout counts from here. */
  startedAt?: number;
  /** Polls made so far. */
  polls: number;
  /** Polls that got no response, timed out or got a 5xx. */
  errors: number;
  /** What the latest poll saw (`HTTP 200, status="IN_PROGRESS"`). */
  lastSeen?: string;
  /** What the latest poll that got a response below 500 saw. */
  lastResponse?: string;
  /** 401/403 answers in a row. */
  authFailures?: number;
  /** 404/410 answers in a row. */
  notFound?: number;
}

/** The state a polling step starts from. */
export const INITIAL_POLL_STATE: Readonly<PollState> = Object.freeze({ polls: 0, errors: 0 });

/** When a poll is done, how often to poll and for how long. */
export interface PollSettings {
  /** Condition on a 2xx JSON body meaning done. @default none: any 2xx succeeds */
  readonly successWhen?: Condition | undefined;
  /** Condition on a JSON body (status below 500) meaning failed. @default none */
  readonly failureWhen?: Condition | undefined;
  /** Dotted path of a 0–100 progress number in the body. @default none: progress is elapsed time */
  readonly progressPath?: string | undefined;
  /** Seconds between polls. */
  readonly intervalSeconds: number;
  /** Seconds from the first poll after which the step fails. */
  readonly timeoutSeconds: number;
  /** Seconds to wait for each response. */
  readonly requestTimeoutSeconds: number;
  /** Largest response body in bytes. @default 4 MiB */
  readonly maxResponseBytes?: number | undefined;
  /** 401/403 answers in a row that fail the step. @default 3 */
  readonly maxAuthFailures?: number | undefined;
  /** 404/410 answers in a row that fail the step. @default none: polled through */
  readonly maxNotFound?: number | undefined;
}

/** Options of {@link pollStep}. */
export interface PollStepOptions {
  /** The poll request. */
  readonly request: JsonRequest;
  /** Conditions and timing. */
  readonly settings: PollSettings;
  /** The run's polling state (`ctx.state`). */
  readonly state: Readonly<PollState>;
  /** The step's abort signal (`ctx.signal`). */
  readonly signal: AbortSignal;
  /** The step's logger (`ctx.logger`). */
  readonly logger: Logger;
  /** What is awaited, for messages: a display URL or `deployment d-42`. */
  readonly subject: string;
  /** Output variables added to the ones of a success. @default {} */
  readonly outputVariables?: Readonly<Record<string, string>>;
  /** Clock. @default Date.now */
  readonly now?: () => number;
}

/**
 * One visit of a polling step: polls once and turns the result into a
 * transition. Success → `succeed` with `httpStatus`, `matchedValue` (JSON
 * text, when `successWhen` is set) and `polls`; `failureWhen` → `fail`;
 * otherwise `wait` for the next poll, unless `timeoutSeconds` have passed
 * since the first poll, which fails with what was last seen. It fails at
 * once when waiting cannot help (see {@link failFast}: a refused target or
 * redirect, repeated 401/403, repeated 404/410 when `maxNotFound` is set),
 * and waits at least as long as a `Retry-After` on 409/429/503 asks, failing
 * at once when that is past the timeout. Network errors, over-limit bodies
 * and 5xx responses are counted in the state and polled through: the timeout
 * bounds them. The transition names no step (its waits poll the same step
 * again), so it fits a step of any job: `Transition<PollState, never>`.
 *
 * @throws the signal's reason when `signal` aborts mid-request (the
 *   invocation's time budget ran out): the engine has given up on this visit
 *   already and decides what happens next.
 *
 * @example
 * ```ts
 * steps: {
 *   poll: (ctx) =>
 *     pollStep({
 *       request: { url: ctx.params.url },
 *       settings: ctx.params,
 *       state: ctx.state,
 *       signal: ctx.signal,
 *       logger: ctx.logger,
 *       subject: displayUrl(ctx.params.url),
 *     }),
 * }
 * ```
 */
export async function pollStep(options: PollStepOptions): Promise<Transition<PollState, never>> {
  const { settings, state, logger, subject } = options;
  const now = options.now ?? Date.now;
  const startedAt = state.startedAt ?? now();
  const poll = state.polls + 1;
  const result = await pollOnce({
    request: options.request,
    successWhen: settings.successWhen,
    failureWhen: settings.failureWhen,
    progressPath: settings.progressPath,
    requestTimeoutSeconds: settings.requestTimeoutSeconds,
    maxResponseBytes: settings.maxResponseBytes,
    signal: options.signal,
  });
  const elapsedMs = Math.max(0, now() - startedAt);
  logger.info('poll', {
    poll,
    outcome: result.outcome,
    httpStatus: result.status,
    seen: result.seen,
    elapsedMs,
  });

  if (result.outcome === 'succeeded') {
    const outputVariables: Record<string, string> = { httpStatus: String(result.status) };
    if (result.matchedValue !== undefined) {
      outputVariables.matchedValue = JSON.stringify(result.matchedValue);
    }
    outputVariables.polls = String(poll);
    return succeed({
      outputVariables: { ...outputVariables, ...options.outputVariables },
      summary: `${subject}: ${result.seen} after ${plural(poll, 'poll')} (${duration(elapsedMs)})`,
    });
  }
  if (result.outcome === 'failed') {
    const condition = settings.failureWhen ? ` (${describeCondition(settings.failureWhen)})` : '';
    return fail({
      message: `${subject}: failureWhen matched${condition} at poll ${poll}: ${result.seen}`,
    });
  }

  const verdict = failFast(
    result,
    { authFailures: state.authFailures ?? 0, notFound: state.notFound ?? 0 },
    {
      maxAuthFailures: settings.maxAuthFailures ?? DEFAULT_MAX_AUTH_FAILURES,
      maxNotFound: settings.maxNotFound,
    },
  );
  if (verdict.stop) return fail({ message: `${subject}: ${verdict.message} at poll ${poll}` });

  const unavailable = result.outcome === 'unavailable';
  const errors = state.errors + (unavailable ? 1 : 0);
  const lastResponse =
    unavailable && result.status === undefined ? state.lastResponse : result.seen;
  const timeoutMs = settings.timeoutSeconds * 1000;
  const retryAfter = retryAfterOf(result);
  if (retryAfter !== undefined && elapsedMs + retryAfter * 1000 > timeoutMs) {
    return fail({
      message:
        `${subject}: ${result.seen} asks to retry after ${retryAfter}s (Retry-After), past ` +
        `the ${settings.timeoutSeconds}s timeout (${plural(poll, 'poll')}, ${errors} failed)`,
    });
  }
  if (elapsedMs >= timeoutMs) {
    const target = settings.successWhen
      ? describeCondition(settings.successWhen)
      : 'a 2xx response';
    const earlier =
      lastResponse !== undefined && lastResponse !== result.seen
        ? `; last response: ${lastResponse}`
        : '';
    return fail({
      message:
        `${subject}: timed out after ${settings.timeoutSeconds}s waiting for ${target} ` +
        `(${plural(poll, 'poll')}, ${errors} failed); last seen: ${result.seen}${earlier}`,
    });
  }

  const progress = result.outcome === 'pending' ? result.progress : undefined;
  const percentComplete =
    progress === undefined
      ? Math.floor((elapsedMs / timeoutMs) * 100)
      : Math.max(0, Math.min(99, Math.round(progress)));
  const summary = unavailable
    ? `poll ${poll}: ${result.seen}; ${plural(errors, 'failed poll')} so far, still polling`
    : `poll ${poll}: ${result.seen}`;
  const next: PollState = {
    startedAt,
    polls: poll,
    errors,
    lastSeen: result.seen,
  };
  // Counters only once a streak began (the engine merges states, so a streak
  // that ended is written as 0); runs that never see one keep the same state.
  if (verdict.counters.authFailures > 0 || state.authFailures !== undefined) {
    next.authFailures = verdict.counters.authFailures;
  }
  if (verdict.counters.notFound > 0 || state.notFound !== undefined) {
    next.notFound = verdict.counters.notFound;
  }
  if (lastResponse !== undefined) next.lastResponse = lastResponse;
  const interval = Math.max(settings.intervalSeconds, retryAfter ?? 0);
  return wait({
    // Never sleep past the timeout: the last poll lands on it.
    seconds: Math.min(interval, (timeoutMs - elapsedMs) / 1000),
    percentComplete: Math.min(99, percentComplete),
    summary,
    state: next,
  });
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `42s`, `12m 5s`, `3h 2m`: summaries are read by people. */
function duration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}
