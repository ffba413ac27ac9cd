import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PipelineInvocationTime } from '../src/emulator/invocation-time.js';
import { PipelineClock } from '../src/emulator/pipeline-clock.js';

/** Real milliseconds, moved on by every read: the emulator's own work takes time. */
let realMs = 0;
const READ_COST_MS = 0.02; // 20 pipeline ms at 1/1000

beforeEach(() => {
  realMs = 0;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
  vi.spyOn(performance, 'now').mockImplementation(() => {
    realMs += READ_COST_MS;
    return realMs;
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** An invocation with a 3 s function timeout, as a container runs it. */
function startInvocation() {
  const clock = new PipelineClock(1 / 1000);
  clock.restart();
  const time = new PipelineInvocationTime(clock);
  const start = time.now();
  const events: string[] = [];
  time.setTimer(3000, () => {
    events.push(`timed out at +${time.now() - start}`);
    time.unpark();
    time.end();
  });
  const wake = () => events.push(`woken at +${time.now() - start}`);
  /** Runs the clock's real timers until something happened. */
  const runUntilEvent = () => {
    for (let turns = 0; events.length === 0 && turns < 10_000; turns += 1) {
      vi.advanceTimersToNextTimer();
    }
  };
  return { clock, time, start, events, wake, runUntilEvent };
}

describe('PipelineInvocationTime', () => {
  it('wakes a parked handler at its due time, before a deadline just after it', () => {
    const { clock, time, start, events, wake, runUntilEvent } = startInvocation();
    realMs += 100; // the handler works, then waits for a timer of its own
    time.park(start + 2_990, wake);
    runUntilEvent();
    expect(events).toEqual(['woken at +2990']);
    time.end();
    clock.dispose();
  });

  it('times out at the deadline exactly when the handler waits past it, and never wakes it', () => {
    const { clock, time, start, events, wake, runUntilEvent } = startInvocation();
    realMs += 100;
    time.park(start + 10_000, wake);
    runUntilEvent();
    vi.runAllTimers();
    expect(events).toEqual(['timed out at +3000']);
    clock.dispose();
  });

  it('wakes a handler whose due time passed before it parked at once, at the time of now', () => {
    const { clock, time, start, events, wake, runUntilEvent } = startInvocation();
    realMs += 500;
    // The container said so late: its timer was due 200 ms ago.
    time.park(start + 300, wake);
    runUntilEvent();
    expect(events).toHaveLength(1);
    const at = Number(events[0]?.replace('woken at +', ''));
    expect(at).toBeGreaterThanOrEqual(500);
    expect(at).toBeLessThan(3000);
    time.end();
    clock.dispose();
  });
});
