import {
  type ContainerChannel,
  type ContainerLaunch,
  openContainerChannel,
} from './container-channel.js';
import {
  type FromContainerMessage,
  monotonicMs,
  type SerializedError,
} from './container-messages.js';
import {
  type InvocationOutcome,
  InvocationOutcomeKind,
  type InvocationRequest,
  type InvocationTime,
  type LambdaContainer,
} from './lambda-container.js';
import { OutputBarriers } from './output-barrier.js';

/** Lambda's limit on the init phase (loading the module). */
const INIT_TIMEOUT_MS = 10_000;

/** Options of {@link IsolatedContainer}. */
export interface IsolatedContainerOptions extends ContainerLaunch {
  /** Names the container on the timeline (`c1`, `c2`, ...). */
  id: string;
}

interface PendingInvoke {
  phase: 'invoke';
  invocationId: string;
  time?: InvocationTime;
  resolve: (outcome: InvocationOutcome) => void;
}

type Pending =
  | { phase: 'init'; resolve: (error: SerializedError | undefined) => void }
  | PendingInvoke;

/**
 * A Lambda execution environment in a worker thread or child process, loading
 * the handler from a module (TypeScript through tsx). A crash is a real crash:
 * killing it stops the handler wherever it is, and a later invocation gets a
 * fresh container.
 *
 * @example
 * ```ts
 * const container = new IsolatedContainer({
 *   id: 'c1', isolation: 'worker', conditions: ['source'], env: { AWS_REGION: 'us-east-1' },
 *   module: parseHandlerModuleSpec('./handler.ts#handler', process.cwd()),
 *   onOutput: (stream, line) => console.log(stream, line),
 * });
 * const outcome = await container.invoke({ invocationId: 'j1-d1-a1', event, context, timeoutMs: 30_000 });
 * await container.kill('done');
 * ```
 */
export class IsolatedContainer implements LambdaContainer {
  public readonly id: string;
  public alive = true;
  public invocationCount = 0;
  private channel: ContainerChannel | undefined;
  private ready = false;
  private pending: Pending | undefined;
  private killReason: string | undefined;
  private lastError: string | undefined;
  private readonly exited: Promise<void>;
  private markExited!: () => void;

  private readonly options: IsolatedContainerOptions;
  private readonly barriers = new OutputBarriers();

  public constructor(options: IsolatedContainerOptions) {
    this.options = options;
    this.id = options.id;
    this.exited = new Promise((resolve) => {
      this.markExited = resolve;
    });
  }

  public async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    this.invocationCount += 1;
    if (!this.alive) {
      return { kind: InvocationOutcomeKind.Crashed, reason: 'the container was already stopped' };
    }
    const time = request.time;
    if (!this.ready) {
      const initError = await this.init(time?.now() ?? Date.now());
      if (initError) {
        await this.kill('init failed');
        return { kind: InvocationOutcomeKind.Errored, error: initError, phase: 'init' };
      }
    }
    const channel = this.channel;
    if (!channel || !this.alive) {
      return { kind: InvocationOutcomeKind.Crashed, reason: this.deathReason() };
    }
    const outcome = await new Promise<InvocationOutcome>((resolve) => {
      const timedOut = () => {
        // A container being killed ends as crashed, whatever time passes meanwhile.
        if (this.killReason !== undefined) return;
        time?.unpark();
        this.settle({ kind: InvocationOutcomeKind.TimedOut, timeoutMs: request.timeoutMs });
        void this.kill(`Task timed out after ${request.timeoutMs} ms`);
      };
      // In pipeline time when there is one: a wait the handler skipped counts.
      const cancelTimeout = time
        ? time.setTimer(request.timeoutMs, timedOut)
        : clearer(setTimeout(timedOut, request.timeoutMs));
      this.pending = {
        phase: 'invoke',
        invocationId: request.invocationId,
        ...(time ? { time } : {}),
        resolve: (result) => {
          cancelTimeout();
          resolve(result);
        },
      };
      request.onHandlerStart?.();
      const now = time?.now() ?? Date.now();
      channel.send({
        type: 'invoke',
        invocationId: request.invocationId,
        event: request.event,
        context: { ...request.context, containerId: this.id, deadlineMs: now + request.timeoutMs },
        now,
        sentAt: monotonicMs(),
      });
    });
    // A timed-out or crashed invocation must be fully gone before anyone goes on,
    // so it cannot report after the fact.
    if (!this.alive) await this.exited;
    return outcome;
  }

  /** Resolves once the output of every invocation that returned has arrived (at most 2 s). */
  public async outputSettled(): Promise<void> {
    if (this.alive) await this.barriers.settled();
  }

  public async kill(reason: string): Promise<void> {
    // Stopping a container takes real time, not a skipped wait: the end of the
    // invocation is stamped at the moment it was killed.
    if (this.pending?.phase === 'invoke') this.pending.time?.unpark();
    this.killReason ??= reason;
    this.alive = false;
    if (this.channel) await this.channel.kill();
    else this.markExited();
    await this.exited;
  }

  private init(now: number): Promise<SerializedError | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.settleInit({
          name: 'Runtime.InitTimeout',
          message: `Loading the handler took more than ${INIT_TIMEOUT_MS} ms`,
        });
      }, INIT_TIMEOUT_MS);
      this.pending = {
        phase: 'init',
        resolve: (error) => {
          clearTimeout(timer);
          if (!error) this.ready = true;
          resolve(error);
        },
      };
      this.channel = openContainerChannel(this.options, {
        onMessage: (message) => this.onMessage(message),
        onError: (err) => {
          this.lastError = `${err.name}: ${err.message}`;
        },
        onExit: (detail) => this.onExit(detail),
        onBarrier: (stream, invocationId) => this.barriers.seen(stream, invocationId),
      });
      this.channel.send({ type: 'init', module: this.options.module, now });
    });
  }

  private onMessage(message: FromContainerMessage): void {
    if (message.type === 'ready') this.settleInit(undefined);
    else if (message.type === 'init-failed') this.settleInit(message.error);
    else if (
      this.pending?.phase === 'invoke' &&
      this.pending.invocationId === message.invocationId
    ) {
      if (message.type === 'parked' || message.type === 'busy') {
        this.onWaiting(this.pending, message.type === 'parked' ? message.dueAt : undefined);
        return;
      }
      if (this.alive) this.barriers.returned(message.invocationId);
      this.settle(
        message.ok
          ? { kind: InvocationOutcomeKind.Returned, value: message.value }
          : { kind: InvocationOutcomeKind.Errored, error: message.error },
      );
    }
  }

  /** The handler parked on its own timer (`dueAt`), or works again (`undefined`). */
  private onWaiting(pending: PendingInvoke, dueAt: number | undefined): void {
    const { time, invocationId } = pending;
    if (!time) return;
    const wake = () => {
      if (this.pending === pending)
        this.channel?.send({ type: 'wake', invocationId, now: time.now(), sentAt: monotonicMs() });
    };
    if (dueAt === undefined) {
      time.unpark();
      wake();
    } else {
      time.park(dueAt, wake);
    }
  }

  private onExit(detail: string): void {
    this.alive = false;
    const reason = this.deathReason(detail);
    this.settleInit({ name: 'Runtime.ExitError', message: reason });
    this.settle({ kind: InvocationOutcomeKind.Crashed, reason });
    this.markExited();
  }

  private deathReason(detail?: string): string {
    if (this.killReason) return this.killReason;
    const cause = this.lastError ? ` after ${this.lastError}` : '';
    return `the container exited (${detail ?? 'unknown'})${cause}`;
  }

  private settleInit(error: SerializedError | undefined): void {
    const pending = this.pending;
    if (pending?.phase !== 'init') return;
    this.pending = undefined;
    pending.resolve(error);
  }

  private settle(outcome: InvocationOutcome): void {
    const pending = this.pending;
    if (pending?.phase !== 'invoke') return;
    this.pending = undefined;
    pending.resolve(outcome);
  }
}

function clearer(timer: ReturnType<typeof setTimeout>): () => void {
  return () => clearTimeout(timer);
}
