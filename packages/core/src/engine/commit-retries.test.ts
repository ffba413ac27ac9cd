import { describe, expect, it } from 'vitest';
import { StoreError, StoreFailure } from '../errors.js';
import { commitWithRetries } from './commit-retries.js';
import { quietLogger } from './engine-test-doubles.js';
import type { CommitRequest, RunStore } from './ports/run-store.js';

// Transient commit refusals are tried again inside the invocation, each try
// with the commit's one token; anything else, or no time left, is thrown.

/** A store whose commit is refused `refusals` times with `failure` before it commits. */
function refusingStore(refusals: number, failure: StoreFailure) {
  const tokens: Array<string | undefined> = [];
  let left = refusals;
  const commit = async (request: CommitRequest) => {
    tokens.push(request.commitToken);
    if (left-- > 0) {
      throw new StoreError('commit failed: TransactionCanceledException', { failure });
    }
    return true;
  };
  // Only the commit is used.
  return { store: { commit } as unknown as RunStore, tokens };
}

function clockAt(start: number) {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

const request = { runId: 'r', commitToken: 'token-1' } as CommitRequest;

describe('commitWithRetries', () => {
  it('tries a transient refusal again, with the same token, until it commits', async () => {
    const { store, tokens } = refusingStore(2, StoreFailure.Transient);
    const clock = clockAt(0);
    expect(
      await commitWithRetries(store, request, { deadline: 10_000, clock, log: quietLogger }),
    ).toBe(true);
    expect(tokens).toEqual(['token-1', 'token-1', 'token-1']);
  });

  it('throws a transient refusal that outlasts the time left', async () => {
    const { store, tokens } = refusingStore(100, StoreFailure.Transient);
    const clock = clockAt(0);
    await expect(
      commitWithRetries(store, request, { deadline: 3000, clock, log: quietLogger }),
    ).rejects.toMatchObject({ name: 'StoreError', failure: 'transient' });
    expect(tokens.length).toBeGreaterThan(1);
    expect(clock.now()).toBeLessThan(3000);
  });

  it('throws a refusal no retry fixes at once', async () => {
    const { store, tokens } = refusingStore(1, StoreFailure.Deterministic);
    await expect(
      commitWithRetries(store, request, { deadline: 10_000, clock: clockAt(0), log: quietLogger }),
    ).rejects.toMatchObject({ failure: 'deterministic' });
    expect(tokens).toHaveLength(1);
  });
});
