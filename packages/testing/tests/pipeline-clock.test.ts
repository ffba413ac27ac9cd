import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PipelineClock } from '../src/emulator/pipeline-clock.js';

// Fake timers make real time step only when told, so pipeline time is exact.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('PipelineClock', () => {
  it('passes pipeline delays timeScale times faster than real time', () => {
    const clock = new PipelineClock(1 / 1000);
    const fired = vi.fn();
    clock.setTimer(60_000, fired);
    vi.advanceTimersByTime(59);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
    expect(clock.now()).toBe(60_000);
  });

  it('passes pipeline time at real speed while a handler runs', () => {
    const clock = new PipelineClock(1 / 1000);
    const fired = vi.fn();
    clock.setTimer(1_000, fired);
    const release = clock.enterRealTime();
    vi.advanceTimersByTime(999);
    expect(fired).not.toHaveBeenCalled();
    expect(clock.now()).toBe(999);
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
    release();
  });

  it('re-arms pending timers when the speed changes mid-wait', () => {
    const clock = new PipelineClock(1 / 1000);
    const fired = vi.fn();
    clock.setTimer(60_000, fired);
    vi.advanceTimersByTime(30); // 30 000 pipeline ms, fast
    const release = clock.enterRealTime();
    vi.advanceTimersByTime(1_000); // 31 000, real speed
    release();
    vi.advanceTimersByTime(28); // 59 000, fast again
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1); // 60 000
    expect(fired).toHaveBeenCalledOnce();
  });

  it('stays at real speed while any holder remains', () => {
    const clock = new PipelineClock(1 / 1000);
    const first = clock.enterRealTime();
    const second = clock.enterRealTime();
    first();
    first(); // releasing twice changes nothing
    vi.advanceTimersByTime(10);
    expect(clock.now()).toBe(10);
    second();
    vi.advanceTimersByTime(10);
    expect(clock.now()).toBe(10_010);
  });

  it('cancels timers, aborts sleeps and fires nothing after dispose', async () => {
    const clock = new PipelineClock(1);
    const cancelled = vi.fn();
    const cancel = clock.setTimer(10, cancelled);
    cancel();
    const controller = new AbortController();
    const sleeping = clock.sleep(10, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    const disposed = vi.fn();
    clock.setTimer(10, disposed);
    clock.dispose();
    clock.setTimer(10, disposed);
    vi.advanceTimersByTime(100);
    expect(cancelled).not.toHaveBeenCalled();
    expect(disposed).not.toHaveBeenCalled();
  });

  it('starts real time where fast time stopped, at a timer the late event loop has not fired yet', () => {
    let realMs = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => realMs);
    const clock = new PipelineClock(1 / 1000);
    const fired = vi.fn();
    clock.setTimer(60_000, fired);
    realMs = 100; // 100 000 pipeline ms at full speed, but the timer stops time
    expect(clock.now()).toBe(60_000);
    const release = clock.enterRealTime();
    expect(clock.now()).toBe(60_000);
    realMs = 101;
    expect(clock.now()).toBe(60_001);
    release();
  });

  it('stands still while the emulator reacts to a timer, however long that takes', () => {
    let realMs = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => realMs);
    // A real microsecond is a pipeline second.
    const clock = new PipelineClock(1 / 1_000_000);
    const seen: number[] = [];
    clock.setTimer(1_000, () => {
      seen.push(clock.now());
      realMs += 0.5; // the callback takes half a real millisecond
      seen.push(clock.now());
      // A reaction that enters real time starts at the timer's due time.
      const release = clock.enterRealTime();
      seen.push(clock.now());
      release();
    });
    clock.setTimer(2_000, () => seen.push(clock.now()));
    realMs = 5; // the loop fires the first timer late
    vi.runOnlyPendingTimers();
    expect(seen).toEqual([1_000, 1_000, 1_000]);
    vi.runAllTimers();
    expect(seen).toEqual([1_000, 1_000, 1_000, 2_000]);
  });

  it('refuses a time scale that is not a positive number', () => {
    expect(() => new PipelineClock(0)).toThrow(RangeError);
    expect(() => new PipelineClock(Number.NaN)).toThrow(RangeError);
  });
});
