import type { RunningStep } from '../../store/run-record.js';
import type { Clock } from '../clock.js';
import type { RunStore } from '../ports/run-store.js';

/** What the lease knows of the claim that took it. */
export interface LeaseOptions {
  heartbeatMs: number;
  claimedAt: number;
  /** The claimed run's `unfinishedClaims` (1 when absent). */
  claims?: number;
  /** The step the claimed run stands at: where this holder starts. */
  startsAt?: { step: string; attempt: number };
}

/**
 * The lease this invocation holds on its run, from the claim to the commit.
 *
 * @example
 * ```ts
 * const lease = new Lease(store, runId, owner, clock, { heartbeatMs: 25_000, claimedAt: now });
 * if (!(await lease.runs('deploy', 1))) return; // taken over
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
  /** The step this holder runs, as renewals record it (`leaseStep`). */
  #running: RunningStep;
  /** Whether a move to another step is written at once (see {@link runs}). */
  #writeMoves: boolean;

  public constructor(
    store: RunStore,
    runId: string,
    owner: string,
    clock: Clock,
    options: LeaseOptions,
  ) {
    this.runId = runId;
    this.owner = owner;
    this.#store = store;
    this.#clock = clock;
    this.#heartbeatMs = options.heartbeatMs;
    this.#renewedAt = options.claimedAt;
    const claims = options.claims ?? 1;
    this.#running = { step: '', attempt: 0, ...options.startsAt, claim: claims };
    // After a crash the next claim must be able to name the step this holder
    // runs; before one (the happy path) a move costs no request.
    this.#writeMoves = claims > 1;
  }

  /**
   * Tells the lease the next step to run, before it runs. A move to another
   * step (or attempt) than the last recorded one is written at once when
   * this holder's claim followed a crash, or once a renewal wrote the step
   * (so what it wrote does not go stale); otherwise only the renewals that
   * fall due record it.
   *
   * @returns `false` when a Lambda retry took the lease over meanwhile.
   */
  public async runs(step: string, attempt: number): Promise<boolean> {
    const last = this.#running;
    if (last.step === step && last.attempt === attempt) return this.renewIfDue();
    this.#running = { step, attempt, claim: last.claim };
    return this.#writeMoves ? this.#renew() : this.renewIfDue();
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
    return this.#renew();
  }

  /** Renews the lease now, recording the step this holder runs. */
  async #renew(): Promise<boolean> {
    const now = this.#clock.now();
    if (!(await this.#store.renewLease(this.runId, this.owner, now, this.#running))) {
      this.#lost = true;
      return false;
    }
    this.#renewedAt = now;
    this.#writeMoves = true;
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
