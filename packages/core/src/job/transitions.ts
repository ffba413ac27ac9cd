import type { JsonObject, JsonValue } from './json.js';

/** Failure types CodePipeline accepts in `failureDetails.type`. */
export const FailureType = {
  JobFailed: 'JobFailed',
  ConfigurationError: 'ConfigurationError',
  PermissionError: 'PermissionError',
  RevisionOutOfSync: 'RevisionOutOfSync',
  RevisionUnavailable: 'RevisionUnavailable',
  SystemUnavailable: 'SystemUnavailable',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Kinds of transition a step can return. */
export const TransitionKind = {
  GoTo: 'goTo',
  Wait: 'wait',
  Succeed: 'succeed',
  Fail: 'fail',
} as const;
export type TransitionKind = (typeof TransitionKind)[keyof typeof TransitionKind];

/** Move on to another step (or the same one), optionally updating the state. */
export interface GoToTransition<S extends object = Record<string, unknown>> {
  readonly kind: 'goTo';
  readonly step: string;
  /** Shallow-merged into the current state. */
  readonly state?: Partial<S>;
}

/** Run the current step again after a delay (polling), reporting progress. */
export interface WaitTransition<S extends object = Record<string, unknown>> {
  readonly kind: 'wait';
  /** Seconds to wait before the step runs again; fractions allowed, `0` re-runs at once. */
  readonly seconds: number;
  /** Integer 0–100 shown in the CodePipeline console. */
  readonly percentComplete?: number;
  /** Progress text shown in the console (1–2048 characters; longer is cut). */
  readonly summary?: string;
  /** Shallow-merged into the current state. */
  readonly state?: Partial<S>;
  /** Step to run when the wait is over. @default the current step */
  readonly step?: string;
}

/** Finish the action successfully. */
export interface SucceedTransition {
  readonly kind: 'succeed';
  /** CodePipeline output variables; keys match `[A-Za-z0-9@\-_]+`, 122,880 bytes in all. */
  readonly outputVariables?: Readonly<Record<string, string>>;
  /** Final summary (1–2048 characters; longer is cut). */
  readonly summary?: string;
}

/** Finish the action with a failure. */
export interface FailTransition {
  readonly kind: 'fail';
  /** @default 'JobFailed' */
  readonly type?: FailureType;
  /** What went wrong (1–5000 characters; longer is cut). */
  readonly message: string;
}

/** What a step returns. */
export type Transition<S extends object = Record<string, unknown>> =
  | GoToTransition<S>
  | WaitTransition<S>
  | SucceedTransition
  | FailTransition;

/**
 * Go to `step` next, merging `state` into the run's state.
 *
 * @example
 * ```ts
 * return goTo('poll', { deploymentId: started.id });
 * ```
 */
export function goTo<S extends object = Record<string, unknown>>(
  step: string,
  state?: Partial<S>,
): GoToTransition<S> {
  return state === undefined ? { kind: 'goTo', step } : { kind: 'goTo', step, state };
}

/** Options of {@link wait}. */
export interface WaitOptions<S extends object = Record<string, unknown>> {
  /** Seconds before the step runs again. */
  seconds: number;
  /** Integer 0–100. */
  percentComplete?: number;
  /** Progress text for the console. */
  summary?: string;
  /** Shallow-merged into the state. */
  state?: Partial<S>;
  /** Step to run after the wait. @default the current step */
  step?: string;
}

/**
 * Wait `seconds`, then run the current step again (poll). Long waits are
 * handed on through a continuation token; no Lambda time is spent sleeping
 * them out.
 *
 * @example
 * ```ts
 * return wait({ seconds: 30, percentComplete: 40, summary: 'deployment is IN_PROGRESS' });
 * ```
 */
export function wait<S extends object = Record<string, unknown>>(
  options: WaitOptions<S>,
): WaitTransition<S> {
  return { kind: 'wait', ...options };
}

/** Options of {@link succeed}. */
export interface SucceedOptions {
  /** Output variables for later pipeline actions. */
  outputVariables?: Record<string, string>;
  /** Final summary. */
  summary?: string;
}

/**
 * Finish the action successfully.
 *
 * @example
 * ```ts
 * return succeed({ outputVariables: { status: '200' }, summary: 'healthy' });
 * ```
 */
export function succeed(options: SucceedOptions = {}): SucceedTransition {
  return { kind: 'succeed', ...options };
}

/**
 * Finish the action with a failure (`JobFailed` unless another type is given).
 *
 * @example
 * ```ts
 * return fail({ message: `deployment ${id} ended in ROLLED_BACK` });
 * ```
 */
export function fail(options: { message: string; type?: FailureType }): FailTransition {
  return { kind: 'fail', ...options };
}

/** True when `value` is one of the four transitions (checked at run time). */
export function isTransition(value: unknown): value is Transition {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'goTo' || kind === 'wait' || kind === 'succeed' || kind === 'fail';
}

export type { JsonObject, JsonValue };
