/** Real milliseconds a timer may fire early (float noise), not worth waiting for. */
const EARLY_TOLERANCE_MS = 0.01;

/** A pending timer of a {@link PipelineClock}. */
interface PipelineTimer {
  /** Pipeline time (ms) at which it fires. */
  due: number;
  fire: () => void;
  handle?: ReturnType<typeof setTimeout>;
}

/**
 * Pipeline time for an emulated action. Pipeline delays (retry back-off,
 * continuation delay, the 20-minute no-reply window) pass `1 / timeScale`
 * times faster than real time, but only while no function is running: while a
 * handler runs, pipeline time passes at real speed, because the handler's own
 * work takes real time. So a handler that needs 2 real seconds does not look
 * like a 30-minute silence to the no-reply timer at `timeScale` 1/1000.
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
  private disposed = false;

  /**
   * @param timeScale Real milliseconds per pipeline millisecond while no handler
   *   runs (1 = real time, 1/1000 = a pipeline minute takes 60 ms).
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
    this.anchorPipeline = 0;
    this.anchorReal = performance.now();
  }

  /** Pipeline milliseconds since the clock was created or restarted. */
  public now(): number {
    return this.anchorPipeline + (performance.now() - this.anchorReal) * this.rate;
  }

  /**
   * Calls `fire` after `delayMs` of pipeline time.
   * @returns a function that cancels the timer
   */
  public setTimer(delayMs: number, fire: () => void): () => void {
    const timer: PipelineTimer = { due: this.now() + Math.max(0, delayMs), fire };
    if (this.disposed) return () => {};
    this.timers.add(timer);
    this.arm(timer);
    return () => {
      clearTimeout(timer.handle);
      this.timers.delete(timer);
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
    this.realTimeHolders += 1;
    if (this.realTimeHolders === 1) this.setRate(1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.realTimeHolders -= 1;
      if (this.realTimeHolders === 0) this.setRate(this.fastRate);
    };
  }

  /** Cancels every pending timer; later timers never fire. */
  public dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) clearTimeout(timer.handle);
    this.timers.clear();
  }

  private setRate(rate: number): void {
    this.anchorPipeline = this.now();
    this.anchorReal = performance.now();
    this.rate = rate;
    // Pending timers were armed for the old rate: re-arm them for the new one.
    for (const timer of this.timers) {
      clearTimeout(timer.handle);
      this.arm(timer);
    }
  }

  private arm(timer: PipelineTimer): void {
    const realDelay = Math.max(0, (timer.due - this.now()) / this.rate);
    timer.handle = setTimeout(() => {
      // Node timers count whole milliseconds from a cached loop time, so they
      // can fire a little early; at a small timeScale that is seconds of
      // pipeline time. Wait out the rest rather than fire early.
      if ((timer.due - this.now()) / this.rate > EARLY_TOLERANCE_MS) {
        this.arm(timer);
        return;
      }
      this.timers.delete(timer);
      timer.fire();
    }, Math.ceil(realDelay));
  }
}
