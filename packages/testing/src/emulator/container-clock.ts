/**
 * The clock of an emulated Lambda container, run inside the container (worker
 * thread or child process). `Date`, `performance.now()` and the global timers
 * are faked with `@sinonjs/fake-timers`, so the handler, Baton's engine clock
 * and the AWS SDK all read pipeline time:
 *
 * - while the handler works (anything in flight: sockets, files, processes,
 *   real timers), its clock runs at real speed and its timers fire on time;
 * - when it waits only for a timer of its own, the container says so
 *   (`parked`, with the timer's due time), and the emulator lets pipeline time
 *   skip ahead until then and wakes it: a wait is skipped, not slept;
 * - between invocations the container is frozen, as Lambda freezes it: its
 *   timers do not fire, and the next invocation thaws it at the pipeline time
 *   of that moment (overdue timers fire first);
 * - the `Date` header of every HTTP response the container receives is moved
 *   to pipeline time, as if the servers shared the skipped clock. Otherwise the
 *   AWS SDK takes the skip for clock skew and retries each error response it
 *   gets (a refused conditional write, say) up to its attempt limit, which
 *   Lambda never does.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { type Clock as FakeClock, withGlobal } from '@sinonjs/fake-timers';
import { monotonicMs } from './container-messages.js';

/** Captured before the fakes are installed: the driver runs on real time. */
const real = {
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  now: performance.now.bind(performance),
  wallNow: Date.now.bind(Date),
};

/**
 * Active resources that do not mean the handler is working: the container's
 * own channel to the emulator and its stdio (a `MessagePort` in a worker,
 * pipes in a child process).
 */
const CHANNEL_RESOURCES = new Set(['MessagePort', 'PipeWrap', 'TTYWrap']);

/** Real milliseconds between two looks at what the handler is doing. */
const POLL_MS = 2;

/** Looks in a row that must find the handler waiting before it counts as parked. */
const IDLE_LOOKS = 2;

/** What the clock tells the emulator. */
export type ClockReport =
  /** The handler waits only for its own timer due at `dueAt` (epoch ms). */
  | { state: 'parked'; dueAt: number }
  /** The handler works again, without having been woken. */
  | { state: 'busy' };

type Mode = 'frozen' | 'running' | 'parked';

/** How the clock runs from a {@link ContainerClock.run}. */
export interface RunOptions {
  /**
   * {@link monotonicMs} when the emulator read `now`: the transit since then
   * counts. Without it the clock runs from `now` as the message arrives.
   */
  sentAt?: number;
  /**
   * Whether the handler may be reported parked (false in the init phase).
   * @defaultValue true
   */
  parking?: boolean;
}

/**
 * @example
 * ```ts
 * const clock = ContainerClock.install(message.now, (report) => send(report));
 * await clock.run(invoke.now, { sentAt: invoke.sentAt });
 * try { await handler(event, context); } finally { clock.freeze(); }
 * ```
 */
export class ContainerClock {
  private mode: Mode = 'frozen';
  /** Pipeline time (epoch ms) at `anchorReal` while running. */
  private anchorVirtual: number;
  private anchorReal = real.now();
  private idleLooks = 0;
  private parking = true;
  /** Set while {@link run} catches up: the handler's timers fire, it is not waiting. */
  private catchingUp = false;
  private reportedDue: number | undefined;
  private poller: ReturnType<typeof setTimeout> | undefined;
  /** The tick in progress: ticks never overlap. */
  private ticking: Promise<unknown> = Promise.resolve();

  private readonly fake: FakeClock;
  private readonly report: (report: ClockReport) => void;

  private constructor(fake: FakeClock, report: (report: ClockReport) => void) {
    this.fake = fake;
    this.report = report;
    this.anchorVirtual = fake.now;
  }

  /**
   * Replaces `Date`, `performance` and the global timers of this thread with
   * fakes showing `now` (epoch ms); call before the handler module loads.
   */
  public static install(now: number, report: (report: ClockReport) => void): ContainerClock {
    const fake = withGlobal(globalThis).install({
      now,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
      // Libraries clear ids such as -1 ("no timer"): hand those to the real functions, silently.
      shouldClearNativeTimers: true,
    });
    subscribe('http.client.response.finish', (message) => {
      const { response } = message as { response: IncomingMessage };
      const date = response.headers.date;
      const sent = date === undefined ? Number.NaN : Date.parse(date);
      if (Number.isFinite(sent)) {
        response.headers.date = new Date(sent + (fake.now - real.wallNow())).toUTCString();
      }
    });
    return new ContainerClock(fake, report);
  }

  /**
   * Runs at real speed from pipeline time `now` (epoch ms): for an invocation,
   * or when the emulator wakes a parked handler. Timers due by `now` fire first.
   */
  public async run(now: number, options: RunOptions = {}): Promise<void> {
    // The real moment `now` was read, on this thread's clock.
    const sentReal =
      options.sentAt === undefined
        ? real.now()
        : real.now() - Math.max(0, monotonicMs() - options.sentAt);
    this.mode = 'running';
    this.parking = options.parking ?? true;
    this.idleLooks = 0;
    this.reportedDue = undefined;
    this.catchingUp = true;
    try {
      await this.advanceTo(now);
    } finally {
      this.catchingUp = false;
    }
    if (this.fake.now > now) {
      this.anchor();
    } else {
      // From `now` at the moment it was sent, so the handler's clock is the
      // emulator's: the poller moves it on by the real time since then.
      this.anchorVirtual = now;
      this.anchorReal = sentReal;
    }
    this.schedulePoll(0);
  }

  /** Stops time until the next {@link run}: the invocation is over. */
  public freeze(): void {
    this.mode = 'frozen';
    real.clearTimeout(this.poller);
    this.poller = undefined;
  }

  private anchor(): void {
    this.anchorVirtual = this.fake.now;
    this.anchorReal = real.now();
  }

  private advanceTo(target: number): Promise<unknown> {
    // Whole milliseconds, as the real `Date.now()` (`AbortSignal.timeout` wants integers).
    const whole = Math.floor(target);
    this.ticking = this.ticking.then(async () => {
      if (whole > this.fake.now) await this.fake.tickAsync(whole - this.fake.now);
    });
    return this.ticking;
  }

  private schedulePoll(delayMs: number): void {
    real.clearTimeout(this.poller);
    // Unref'd: the poller must not count as work, nor keep the container alive.
    this.poller = real.setTimeout(() => void this.poll(), delayMs);
    this.poller.unref();
  }

  private async poll(): Promise<void> {
    if (this.mode === 'frozen') return;
    if (this.catchingUp) {
      this.schedulePoll(POLL_MS);
      return;
    }
    if (this.mode === 'running') {
      await this.advanceTo(this.anchorVirtual + (real.now() - this.anchorReal));
      if (this.mode !== 'running') return;
    }
    const dueAt = this.fake.timerHeap?.peek()?.callAt;
    const waiting = this.parking && dueAt !== undefined && !working();
    if (this.mode === 'running') {
      this.idleLooks = waiting ? this.idleLooks + 1 : 0;
      if (waiting && this.idleLooks >= IDLE_LOOKS) {
        this.mode = 'parked';
        this.reportedDue = dueAt;
        this.report({ state: 'parked', dueAt });
      }
    } else if (!waiting) {
      // Woken by something else than the emulator (a real event): run again,
      // the emulator answers with a wake at the pipeline time of now.
      this.mode = 'running';
      this.idleLooks = 0;
      this.anchor();
      this.report({ state: 'busy' });
    } else if (dueAt !== this.reportedDue) {
      this.reportedDue = dueAt;
      this.report({ state: 'parked', dueAt });
    }
    this.schedulePoll(this.nextPollMs(dueAt));
  }

  private nextPollMs(dueAt: number | undefined): number {
    if (this.mode !== 'running' || dueAt === undefined) return POLL_MS;
    return Math.max(0, Math.min(POLL_MS, dueAt - this.fake.now));
  }
}

/** Whether anything but the container's own channel is in flight. */
function working(): boolean {
  return process.getActiveResourcesInfo().some((type) => !CHANNEL_RESOURCES.has(type));
}
