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

/**
 * Move on to another step (or the same one), optionally updating the state.
 * `K` is the job's step names (`string` when they are not known).
 */
export interface GoToTransition<
  S extends object = Record<string, unknown>,
  K extends string = string,
> {
  readonly kind: 'goTo';
  /** The step to run next: one of the job's step names. */
  readonly step: K;
  /** Shallow-merged into the current state. */
  readonly state?: Partial<S>;
}

/** Run the current step again after a delay (polling), reporting progress. */
export interface WaitTransition<
  S extends object = Record<string, unknown>,
  K extends string = string,
> {
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
  readonly step?: K;
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

/**
 * What a step returns. `S` is the job's state, `K` its step names: in a step
 * of `defineJob({ steps: { start, poll } })`, `K` is `'start' | 'poll'`, so
 * `goTo` and `wait` accept only those names.
 */
export type Transition<S extends object = Record<string, unknown>, K extends string = string> =
  | GoToTransition<S, K>
  | WaitTransition<S, K>
  | SucceedTransition
  | FailTransition;

/**
 * Go to `step` next, merging `state` into the run's state.
 *
 * The transition keeps the literal name it is given, and a step of
 * {@link defineJob} may return only transitions to the job's own steps: in a
 * job whose steps are `start` and `poll`, `return goTo('pol')` does not
 * compile (`'"pol"' is not assignable to '"start" | "poll"'`).
 *
 * @example
 * ```ts
 * const job = defineJob({
 *   name: 'deploy',
 *   initialState: { deploymentId: '' },
 *   firstStep: 'start',
 *   steps: {
 *     start: async () => goTo('poll', { deploymentId: await startDeployment() }),
 *     // goTo('pol') there would not compile: 'pol' is not one of the steps.
 *     poll: async ({ state }) => succeed({ summary: `deployment ${state.deploymentId} done` }),
 *   },
 * });
 * ```
 */
export function goTo<S extends object = Record<string, unknown>, K extends string = string>(
  step: K,
  state?: Partial<S>,
): GoToTransition<S, K> {
  return state === undefined ? { kind: 'goTo', step } : { kind: 'goTo', step, state };
}

/** Options of {@link wait}. */
export interface WaitOptions<
  S extends object = Record<string, unknown>,
  K extends string = string,
> {
  /** Seconds before the step runs again. */
  seconds: number;
  /** Integer 0–100. */
  percentComplete?: number;
  /** Progress text for the console. */
  summary?: string;
  /** Shallow-merged into the state. */
  state?: Partial<S>;
  /**
   * Step to run after the wait: one of the job's step names.
   * @default the current step
   */
  step?: K;
}

/**
 * Wait `seconds`, then run the current step again (poll), or `step` when
 * given (one of the job's step names, checked like {@link goTo}'s). Long
 * waits are handed on through a continuation token; no Lambda time is spent
 * sleeping them out.
 *
 * @example
 * ```ts
 * return wait({ seconds: 30, percentComplete: 40, summary: 'deployment is IN_PROGRESS' });
 * ```
 */
export function wait<S extends object = Record<string, unknown>, const K extends string = never>(
  options: WaitOptions<S, K>,
): WaitTransition<S, K> {
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
