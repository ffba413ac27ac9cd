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
    if (this.#clock.now() - this.#renewedAt < this.#heartbeatMs) return true;
    if (!(await this.#store.renewLease(this.runId, this.owner, this.#clock.now()))) return false;
    this.#renewedAt = this.#clock.now();
    return true;
  }

  /** Gives the lease up after an unexpected error, so a retry need not wait for it to end. */
  public release(lastError: string): Promise<void> {
    return this.#store.releaseLease(this.runId, this.owner, { lastError });
  }
}
