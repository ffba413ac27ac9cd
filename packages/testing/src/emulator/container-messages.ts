import type { LambdaContextInit } from './lambda-context.js';

/** An error as it crosses from a container to the emulator. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

/** Where a container loads its handler from. */
export interface HandlerModuleSpec {
  /** A `file:` URL, or a bare package specifier resolved from `parentUrl`. */
  specifier: string;
  /** The named export holding the handler (`default` for the default export). */
  exportName: string;
  /** `file:` URL of the directory bare specifiers resolve from. */
  parentUrl: string;
}

/**
 * Messages from the emulator to a container. `now` is pipeline time in epoch
 * milliseconds when the message was sent, and `sentAt` the
 * {@link monotonicMs} of that moment: pipeline time runs at real speed from
 * there, so the container's clock counts the message's transit too and shows
 * the emulator's time, not a few milliseconds less.
 */
export type ToContainerMessage =
  | { type: 'init'; module: HandlerModuleSpec; now: number }
  | {
      type: 'invoke';
      invocationId: string;
      event: unknown;
      context: LambdaContextInit;
      now: number;
      sentAt: number;
    }
  /** Pipeline time reached the timer a parked handler waits for (or it woke by itself). */
  | { type: 'wake'; invocationId: string; now: number; sentAt: number };

/**
 * Milliseconds of the system's monotonic clock, which the emulator and its
 * worker threads and child processes share (fake timers leave it alone).
 *
 * @example
 * ```ts
 * channel.send({ type: 'wake', invocationId, now: time.now(), sentAt: monotonicMs() });
 * ```
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint() / 1000n) / 1000;
}

/** Messages from a container to the emulator. */
export type FromContainerMessage =
  | { type: 'ready' }
  | { type: 'init-failed'; error: SerializedError }
  | { type: 'result'; invocationId: string; ok: true; value: unknown }
  | { type: 'result'; invocationId: string; ok: false; error: SerializedError }
  /** The handler waits only for its own timer, due at `dueAt` (epoch ms). */
  | { type: 'parked'; invocationId: string; dueAt: number }
  /** A parked handler works again before it was woken. */
  | { type: 'busy'; invocationId: string };

/**
 * Turns anything thrown into a {@link SerializedError}.
 *
 * @example
 * ```ts
 * serializeError(new TypeError('boom')); // { name: 'TypeError', message: 'boom', stack: '...' }
 * ```
 */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    return { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  }
  return {
    name: 'Error',
    message: typeof err === 'string' ? err : (JSON.stringify(err) ?? String(err)),
  };
}
