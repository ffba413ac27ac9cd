import type { LambdaContext } from '../lambda/lambda-context.js';
import { CODEPIPELINE_REPLY_WINDOW_MS } from '../pipeline/action-windows.js';
import type { Clock } from './clock.js';

/** Default of `retryTakeoverAfterMs`. */
export const DEFAULT_RETRY_TAKEOVER_AFTER_MS = 50_000;

/** Time kept for the commit after a step cut off at the budget's end. */
const COMMIT_RESERVE_MS = 500;

/**
 * Kept free at the end of a job's reply window, besides the invocation's own
 * reserve for the commit and the report: the window is counted from the job's
 * first claim, and CodePipeline's started a little earlier, when it created
 * the job (delivery takes seconds; a throttled function, longer).
 */
export const REPLY_WINDOW_MARGIN_MS = 60_000;

/** The time one invocation has, and how it is shared out. All times epoch ms. */
export interface InvocationBudget {
  startedAt: number;
  /** When Lambda ends the invocation; the lease ends then too. */
  invocationDeadline: number;
  /** No step runs past this: the rest is kept for the commit and the report. */
  budgetEnd: number;
  /**
   * Set when the job's reply window, not the invocation's time, moved
   * `budgetEnd` earlier: a step cut off then did not have a whole invocation.
   */
  cutByReplyWindow?: true;
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

/**
 * The job's reply deadline, epoch ms, as its first claim stores it:
 * CodePipeline's reply window counted from `claimedAt`.
 *
 * @example
 * ```ts
 * replyDeadline(clock.now()); // 20 minutes from now
 * ```
 */
export function replyDeadline(claimedAt: number): number {
  return claimedAt + CODEPIPELINE_REPLY_WINDOW_MS;
}

/**
 * The budget narrowed to the job's reply window: steps end early enough that
 * the commit and the report (the invocation's reserve) still fit before
 * `replyBy` less {@link REPLY_WINDOW_MARGIN_MS}. A retry that comes late gets
 * a budget already over, so it hands the run on (or ends it) without a step.
 *
 * @example
 * ```ts
 * const budget = withinReplyWindow(invocationBudget(context, clock, deps), claim.run.replyBy);
 * ```
 */
export function withinReplyWindow(
  budget: InvocationBudget,
  replyBy: number | undefined,
): InvocationBudget {
  if (replyBy === undefined) return budget;
  const reserve = budget.invocationDeadline - budget.budgetEnd;
  const end = replyBy - REPLY_WINDOW_MARGIN_MS - reserve;
  if (end >= budget.budgetEnd) return budget;
  return { ...budget, budgetEnd: end, cutByReplyWindow: true };
}
