import type { InvocationTime } from './lambda-container.js';
import type { PipelineClock } from './pipeline-clock.js';

/**
 * Pipeline time for one invocation. Created when the invocation starts, it
 * holds pipeline time at real speed (the handler works) except while the
 * handler is parked on a timer of its own, and lets go at {@link end}.
 *
 * @example
 * ```ts
 * const time = new PipelineInvocationTime(clock);
 * try { await container.invoke({ ...request, time }); } finally { time.end(); }
 * ```
 */
export class PipelineInvocationTime implements InvocationTime {
  /** Lets pipeline time run fast again; set while the handler works. */
  private release: (() => void) | undefined;
  private cancelWake: () => void = () => {};
  private ended = false;
  private readonly clock: PipelineClock;

  public constructor(clock: PipelineClock) {
    this.clock = clock;
    this.release = clock.enterRealTime();
  }

  /** Whole milliseconds, as `Date.now()`. */
  public now(): number {
    return Math.floor(this.clock.dateNow());
  }

  public setTimer(ms: number, fire: () => void): () => void {
    return this.clock.setTimer(ms, fire);
  }

  public park(dueAt: number, wake: () => void): void {
    if (this.ended) return;
    this.cancelWake();
    // The wake is due at the handler's own due time, fixed before time may run
    // fast: fast time stops at it (or at the function timeout, if that comes
    // first), however long the emulator takes from here.
    this.cancelWake = this.clock.setTimerAt(this.clock.fromDate(dueAt), () => {
      this.cancelWake = () => {};
      // Real speed from the moment the timer is due, not from when the handler hears of it.
      this.release ??= this.clock.enterRealTime();
      wake();
    });
    this.release?.();
    this.release = undefined;
  }

  public unpark(): void {
    if (this.ended) return;
    // Real speed first, while the wake still stops fast time at its due time.
    this.release ??= this.clock.enterRealTime();
    this.cancelWake();
    this.cancelWake = () => {};
  }

  /** The invocation is over: no wake, and pipeline time no longer held. */
  public end(): void {
    this.ended = true;
    this.cancelWake();
    this.release?.();
    this.release = undefined;
  }
}
