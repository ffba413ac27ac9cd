import type { CodePipelineJobEvent } from './codepipeline-shapes.js';
import type { SerializedError } from './container-messages.js';
import type { LambdaContext, LambdaContextInit } from './lambda-context.js';

/**
 * A Lambda handler run in the emulator's own process. Baton's
 * `createLambdaHandler(job)` and any `(event: unknown, context) => Promise<...>` fit.
 */
export type LambdaHandler = (
  event: CodePipelineJobEvent,
  context: LambdaContext,
) => Promise<unknown>;

/** How one invocation ended, seen from outside the function. */
export const InvocationOutcomeKind = {
  /** The handler returned (its promise resolved). */
  Returned: 'returned',
  /** The handler threw or rejected, or the module failed to load. */
  Errored: 'errored',
  /** The function timeout struck first; the container was stopped. */
  TimedOut: 'timed-out',
  /** The container died mid-invocation: killed by a cut-off fault, or exited. */
  Crashed: 'crashed',
} as const;
export type InvocationOutcomeKind =
  (typeof InvocationOutcomeKind)[keyof typeof InvocationOutcomeKind];

/** How one invocation ended. */
export type InvocationOutcome =
  | { kind: typeof InvocationOutcomeKind.Returned; value: unknown }
  | {
      kind: typeof InvocationOutcomeKind.Errored;
      error: SerializedError;
      /** Set when the handler module failed to load (Lambda's init phase), not the handler itself. */
      phase?: 'init';
    }
  | { kind: typeof InvocationOutcomeKind.TimedOut; timeoutMs: number }
  | { kind: typeof InvocationOutcomeKind.Crashed; reason: string };

/**
 * Pipeline time as one invocation sees it. An isolated container's clock
 * reads it, and skips a wait through {@link park} when the handler only waits
 * for a timer of its own.
 */
export interface InvocationTime {
  /** Pipeline time now, in epoch milliseconds. */
  now(): number;
  /** Calls `fire` after `ms` of pipeline time; returns a function that cancels it. */
  setTimer(ms: number, fire: () => void): () => void;
  /**
   * The handler waits only for its own timer, due at `dueAt` (epoch ms):
   * pipeline time may pass fast until then, when `wake` is called.
   */
  park(dueAt: number, wake: () => void): void;
  /** The handler works again: pipeline time passes at real speed. */
  unpark(): void;
}

/** One invocation to run in a container. */
export interface InvocationRequest {
  invocationId: string;
  event: unknown;
  /** The context, less the deadline: the container sets it when the handler starts. */
  context: Omit<LambdaContextInit, 'deadlineMs' | 'containerId'>;
  /** The function timeout: pipeline milliseconds with `time`, else real ones. */
  timeoutMs: number;
  /** Pipeline time; without it the container uses the real clock. */
  time?: InvocationTime;
  /** Called when the handler itself starts (after a cold start's module loading). */
  onHandlerStart?: () => void;
}

/**
 * An emulated Lambda execution environment: runs one invocation at a time and
 * stays warm between them, until it times out, crashes or is killed.
 */
export interface LambdaContainer {
  readonly id: string;
  /** False once the container died or was stopped; it takes no more invocations. */
  readonly alive: boolean;
  /** Invocations it has started so far (0 = the next one is a cold start). */
  readonly invocationCount: number;
  invoke(request: InvocationRequest): Promise<InvocationOutcome>;
  /**
   * Kills the container for real (mid-invocation if one runs); the running
   * invocation ends as crashed with `reason`.
   */
  kill(reason: string): Promise<void>;
  /**
   * Resolves once the output of every invocation that returned has reached
   * the container's owner (an isolated container's output comes on its own
   * channel); a container whose output is never late has none.
   */
  outputSettled?(): Promise<void>;
}

/** Where a container's output goes, line by line. */
export type ContainerOutputListener = (stream: 'stdout' | 'stderr', line: string) => void;
