import { StoreError, StoreFailure } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { Clock } from './clock.js';
import type { CommitRequest, RunStore } from './ports/run-store.js';

/** Longest pause between two tries of a commit. */
const MAX_DELAY_MS = 1000;

/**
 * Commits, trying again inside the invocation when the store refuses for a
 * transient reason (a transaction conflict with a duplicate's claim,
 * throttling, a 5xx) until `deadline`. Every try carries the same
 * `commitToken`, so a commit applied but unanswered is not applied twice.
 * Other errors, and a transient one that outlasts the time, are thrown.
 *
 * @returns `false` when the lease was lost (another invocation took over).
 * @example
 * ```ts
 * const committed = await commitWithRetries(store, request, { deadline, clock, log });
 * ```
 */
export async function commitWithRetries(
  store: RunStore,
  request: CommitRequest,
  options: { deadline: number; clock: Clock; log: Logger },
): Promise<boolean> {
  const { clock, log } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.commit(request);
    } catch (err) {
      if (!(err instanceof StoreError && err.failure === StoreFailure.Transient)) throw err;
      const delay = Math.min(MAX_DELAY_MS, 20 * 2 ** attempt) * (0.5 + Math.random() / 2);
      if (clock.now() + delay >= options.deadline) throw err;
      log.warn('commit refused for a transient reason; trying again', {
        attempt,
        delayMs: Math.round(delay),
        error: err.message,
      });
      await clock.sleep(delay);
    }
  }
}
