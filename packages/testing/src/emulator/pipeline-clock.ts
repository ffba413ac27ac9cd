/** Real milliseconds a timer may fire early (float noise), not worth waiting for. */
const EARLY_TOLERANCE_MS = 0.01;

/** A pending timer of a {@link PipelineClock}. */
interface PipelineTimer {
  /** Pipeline time (ms) at which it fires. */
  due: number;
  /** Order of creation: timers due at the same time fire in that order. */
  order: number;
  fire: () => void;
}

/**
 * Pipeline time for an emulated action. Pipeline delays (retry back-off,
 * continuation delay, the 20-minute no-reply window, a wait a handler skips)
 * pass `1 / timeScale` times faster than real time, but only while no function
 * works: while a handler runs, pipeline time passes at real speed, because its
 * own work takes real time. So a handler that needs 2 real seconds does not
 * look like a 30-minute silence to the no-reply timer at `timeScale` 1/1000.
 *
 * Timers fire in the order they are due, never early, and while time runs
 * fast it stops at the next timer until that timer has fired: however late
 * the event loop runs it, a timer sees pipeline time equal to its due time,
 * as in a discrete-event simulation. Time then stands still until the
 * emulator's reactions to the timer are done (the event loop turns).
 *
 * @example
 * ```ts
 * const clock = new PipelineClock(1 / 1000);
 * await clock.sleep(60_000); // about 60 ms of real time
 * const running = clock.enterRealTime();
 * try { await invoke(); } finally { running(); }
 * ```
 */
export class PipelineClock {
  private readonly timers = new Set<PipelineTimer>();
  private readonly fastRate: number;
  private anchorReal: number;
  private anchorPipeline = 0;
  private rate: number;
  private realTimeHolders = 0;
  /** Pipeline time while the emulator reacts to a timer during fast time: it stands still. */
  private pinned: number | undefined;
  private unpinning = false;
  private created = 0;
  private handle: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  /** `Date.now()` when pipeline time was 0. */
  private epochMs = Date.now();

  /**
   * @param timeScale Real milliseconds per pipeline millisecond while no handler
   *   works (1 = real time, 1/1000 = a pipeline minute takes 60 ms).
   */
  public constructor(timeScale: number) {
    if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
      throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
    }
    this.fastRate = 1 / timeScale;
    this.rate = this.fastRate;
    this.anchorReal = performance.now();
  }

  /** Makes now pipeline time 0 (call before any timer is set). */
  public restart(): void {
    this.epochMs = Date.now();
    this.pin(0);
  }

  /** Pipeline milliseconds since the clock was created or restarted. */
  public now(): number {
    if (this.realTimeHolders > 0) return this.free();
    if (this.pinned !== undefined) return this.pinned;
    // Running fast, time stops at the next timer until it has fired (and never
    // goes back, even before an overdue timer).
    const next = this.next();
    const free = this.free();
    return next === undefined ? free : Math.max(this.anchorPipeline, Math.min(free, next.due));
  }

  /** Converts a date (epoch milliseconds) to pipeline milliseconds. */
  public fromDate(dateMs: number): number {
    return dateMs - this.epochMs;
  }

  /** Pipeline time as a date: epoch milliseconds, from the real time of pipeline time 0. */
  public dateNow(): number {
    return this.epochMs + this.now();
  }

  /**
   * Calls `fire` after `delayMs` of pipeline time.
   * @returns a function that cancels the timer
   */
  public setTimer(delayMs: number, fire: () => void): () => void {
    return this.setTimerAt(this.now() + Math.max(0, delayMs), fire);
  }

  /**
   * Calls `fire` when pipeline time reaches `atMs` (at once if it has). A due
   * time fixed in advance, unlike a delay, cannot move however late the caller
   * gets to set it.
   * @returns a function that cancels the timer
   */
  public setTimerAt(atMs: number, fire: () => void): () => void {
    if (this.disposed) return () => {};
    const timer: PipelineTimer = { due: atMs, order: this.created++, fire };
    this.timers.add(timer);
    this.arm();
    return () => {
      if (this.timers.delete(timer)) this.arm();
    };
  }

  /**
   * Resolves after `delayMs` of pipeline time; rejects with the signal's reason
   * if it aborts first.
   */
  public sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        cancel();
        reject(signal?.reason);
      };
      const cancel = this.setTimer(delayMs, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Makes pipeline time pass at real speed until the returned function is
   * called (calls nest: real speed lasts while any holder remains).
   */
  public enterRealTime(): () => void {
    // Read before the count changes: the time of the speed being left.
    const at = this.now();
    this.realTimeHolders += 1;
    if (this.realTimeHolders === 1) this.setRate(1, at);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.now();
      this.realTimeHolders -= 1;
      if (this.realTimeHolders === 0) this.setRate(this.fastRate, left);
    };
  }

  /** Cancels every pending timer; later timers never fire. */
  public dispose(): void {
    this.disposed = true;
    clearTimeout(this.handle);
    this.timers.clear();
  }

  private setRate(rate: number, at: number): void {
    this.pinned = undefined;
    this.anchorPipeline = at;
    this.anchorReal = performance.now();
    this.rate = rate;
    if (this.realTimeHolders === 0) this.pin(at);
    this.arm();
  }

  /**
   * Holds fast time at `at` until the event loop turns (or real time starts):
   * while the emulator reacts to a timer, or to the end of real time. The real
   * microseconds its own work takes (callbacks, the promise continuations
   * they resolve) would be seconds of pipeline time at a small timeScale, and
   * a reaction that enters real time (a wake, an invocation) must start at the
   * time it reacts to.
   */
  private pin(at: number): void {
    this.pinned = at;
    this.anchorPipeline = at;
    this.anchorReal = performance.now();
    if (this.unpinning) return;
    this.unpinning = true;
    setImmediate(() => {
      this.unpinning = false;
      if (this.pinned === undefined) return;
      this.pinned = undefined;
      // Fast time goes on from where it stood.
      this.anchorReal = performance.now();
      this.arm();
    });
  }

  /** Pipeline time as the current speed has it, with no timer to stop at. */
  private free(): number {
    return this.anchorPipeline + (performance.now() - this.anchorReal) * this.rate;
  }

  private next(): PipelineTimer | undefined {
    let first: PipelineTimer | undefined;
    for (const timer of this.timers) {
      if (
        !first ||
        timer.due < first.due ||
        (timer.due === first.due && timer.order < first.order)
      ) {
        first = timer;
      }
    }
    return first;
  }

  /** Sets the one real timer for the next pipeline timer. */
  private arm(): void {
    clearTimeout(this.handle);
    this.handle = undefined;
    const next = this.next();
    if (!next || this.disposed) return;
    const realDelay = Math.max(0, (next.due - this.now()) / this.rate);
    this.handle = setTimeout(() => this.fireDue(), Math.ceil(realDelay));
  }

  private fireDue(): void {
    this.handle = undefined;
    for (let next = this.next(); next && !this.disposed; next = this.next()) {
      const free = this.free();
      // Node timers count whole milliseconds from a cached loop time, so they
      // can fire a little early; at a small timeScale that is seconds of
      // pipeline time. Wait out the rest rather than fire early.
      if ((next.due - free) / this.rate > EARLY_TOLERANCE_MS) break;
      if (this.realTimeHolders === 0) {
        // Running fast, time stopped at this timer, however late it fired. It
        // stays there while the emulator reacts; a later timer waits for the
        // reactions to an earlier one (an invocation may start meanwhile).
        const at = Math.max(this.anchorPipeline, next.due);
        if (this.pinned !== undefined && at > this.pinned) break;
        this.pin(at);
      }
      this.timers.delete(next);
      next.fire();
    }
    this.arm();
  }
}
