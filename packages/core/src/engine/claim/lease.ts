import type { Clock } from '../clock.js';
import type { RunStore } from '../ports/run-store.js';

/**
 * The lease this invocation holds on its run, from the claim to the commit.
 *
 * @example
 * ```ts
 * const lease = new Lease(store, runId, owner, clock, { heartbeatMs: 25_000, claimedAt: now });
 * if (!(await lease.renewIfDue())) return; // taken over
 * ```
 */
export class Lease {
  readonly runId: string;
  readonly owner: string;
  readonly #store: RunStore;
  readonly #clock: Clock;
  readonly #heartbeatMs: number;
  #renewedAt: number;
  #lost = false;

  public constructor(
    store: RunStore,
    runId: string,
    owner: string,
    clock: Clock,
    options: { heartbeatMs: number; claimedAt: number },
  ) {
    this.runId = runId;
    this.owner = owner;
    this.#store = store;
    this.#clock = clock;
    this.#heartbeatMs = options.heartbeatMs;
    this.#renewedAt = options.claimedAt;
  }

  /**
   * Renews the lease once `heartbeatMs` have passed since the last renewal, so
   * a long invocation proves it is alive before its next step.
   *
   * @returns `false` when a Lambda retry took the lease over meanwhile: the
   *   invocation must not run steps the other one may already have committed.
   */
  public async renewIfDue(): Promise<boolean> {
    if (this.#lost) return false;
    if (this.#clock.now() - this.#renewedAt < this.#heartbeatMs) return true;
    if (!(await this.#store.renewLease(this.runId, this.owner, this.#clock.now()))) {
      this.#lost = true;
      return false;
    }
    this.#renewedAt = this.#clock.now();
    return true;
  }

  /** Whether a renewal found the lease taken over. */
  public get lost(): boolean {
    return this.#lost;
  }

  /**
   * Renews the lease every `heartbeatMs` while a step runs, so a long step is
   * not taken for a dead one by a delivery with the same request id. A
   * renewal that fails sets {@link lost}; one that errors is tried again at
   * the next tick.
   *
   * @returns a function that stops the renewals
   */
  public keepAlive(onError: (err: unknown) => void): () => void {
    // A take-over age under two seconds (tests) makes renewals pointless.
    if (this.#heartbeatMs < 1000) return () => {};
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.#lost) return;
      busy = true;
      this.renewIfDue()
        .then((held) => {
          if (!held) this.#lost = true;
        })
        .catch(onError)
        .finally(() => {
          busy = false;
        });
    }, this.#heartbeatMs);
    timer.unref?.();
    return () => clearInterval(timer);
  }

  /** Gives the lease up after an unexpected error, so a retry need not wait for it to end. */
  public release(lastError: string): Promise<void> {
    return this.#store.releaseLease(this.runId, this.owner, { lastError });
  }
}
