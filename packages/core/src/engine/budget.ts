import type { LambdaContext } from '../lambda/lambda-context.js';
import type { Clock } from './clock.js';

/** Default of `retryTakeoverAfterMs`. */
export const DEFAULT_RETRY_TAKEOVER_AFTER_MS = 50_000;

/** Time kept for the commit after a step cut off at the budget's end. */
const COMMIT_RESERVE_MS = 500;

/** The time one invocation has, and how it is shared out. All times epoch ms. */
export interface InvocationBudget {
  startedAt: number;
  /** When Lambda ends the invocation; the lease ends then too. */
  invocationDeadline: number;
  /** No step runs past this: the rest is kept for the commit and the report. */
  budgetEnd: number;
  /** Below this much time before `budgetEnd` no step is started (half the budget, at most 1 s). */
  minStepBudgetMs: number;
  /** Reports stop retrying this long before the deadline. */
  reportGuardMs: number;
  /** A delivery with the lease holder's request id takes the lease once it is this old. */
  takeoverAfterMs: number;
  /** After this long without renewing its lease, the invocation renews it before a step. */
  heartbeatMs: number;
}

/** The settings of {@link invocationBudget}, from `EngineDependencies`. */
export interface BudgetSettings {
  safetyMarginMs?: number;
  retryTakeoverAfterMs?: number;
}

/**
 * Shares out the invocation's remaining time.
 *
 * @example
 * ```ts
 * const budget = invocationBudget(context, clock, { safetyMarginMs: 3000 });
 * ```
 */
export function invocationBudget(
  context: LambdaContext,
  clock: Clock,
  settings: BudgetSettings,
): InvocationBudget {
  const startedAt = clock.now();
  const remaining = context.getRemainingTimeInMillis();
  const invocationDeadline = startedAt + remaining;
  const margin = settings.safetyMarginMs ?? Math.min(3000, Math.floor(remaining / 4));
  const reportGuardMs = Math.min(1000, Math.floor(remaining / 10));
  // Whatever the margin, a step cut off at the budget's end leaves time to
  // commit and to report before the report guard.
  const budgetEnd = invocationDeadline - Math.max(margin, reportGuardMs + COMMIT_RESERVE_MS);
  const takeoverAfterMs = settings.retryTakeoverAfterMs ?? DEFAULT_RETRY_TAKEOVER_AFTER_MS;
  return {
    startedAt,
    invocationDeadline,
    budgetEnd,
    // Short function timeouts still run a step per invocation.
    minStepBudgetMs: Math.min(1000, Math.max(0, budgetEnd - startedAt) / 2),
    // A throw lets Lambda retry; a timeout would too, later: end by itself.
    reportGuardMs,
    takeoverAfterMs,
    // Well inside the age at which a same-request delivery takes the lease over.
    heartbeatMs: Math.max(1, takeoverAfterMs / 2),
  };
}

/** Time a report may take from `now`. */
export function reportBudgetMs(budget: InvocationBudget, now: number): number {
  return budget.invocationDeadline - budget.reportGuardMs - now;
}
