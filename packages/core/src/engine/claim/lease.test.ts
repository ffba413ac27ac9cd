import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../clock.js';
import type { RunStore } from '../ports/run-store.js';
import { Lease } from './lease.js';

// The lease is renewed by a timer while a step runs, not only between steps.

function renewingStore(answers: boolean[]) {
  const renewals: number[] = [];
  const renewLease = async (_runId: string, _owner: string, now: number) => {
    renewals.push(now);
    return answers.shift() ?? true;
  };
  // Only renewals are used.
  return { store: { renewLease } as unknown as RunStore, renewals };
}

describe('Lease.keepAlive', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_800_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews every heartbeat while the step runs, and stops when told', async () => {
    const { store, renewals } = renewingStore([]);
    const lease = new Lease(store, 'run', 'me', systemClock, {
      heartbeatMs: 25_000,
      claimedAt: Date.now(),
    });
    const stop = lease.keepAlive(() => {});
    await vi.advanceTimersByTimeAsync(80_000);
    expect(renewals).toHaveLength(3);
    stop();
    await vi.advanceTimersByTimeAsync(80_000);
    expect(renewals).toHaveLength(3);
    expect(lease.lost).toBe(false);
  });

  it('marks the lease lost when a renewal finds it taken over', async () => {
    const { store, renewals } = renewingStore([true, false]);
    const lease = new Lease(store, 'run', 'me', systemClock, {
      heartbeatMs: 25_000,
      claimedAt: Date.now(),
    });
    const stop = lease.keepAlive(() => {});
    await vi.advanceTimersByTimeAsync(120_000);
    stop();
    expect(lease.lost).toBe(true);
    // No renewal after it was found lost.
    expect(renewals).toHaveLength(2);
  });
});
