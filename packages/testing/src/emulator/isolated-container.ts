import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type {
  FromContainerMessage,
  HandlerModuleSpec,
  SerializedError,
  ToContainerMessage,
} from './container-messages.js';
import {
  type ContainerOutputListener,
  type InvocationOutcome,
  InvocationOutcomeKind,
  type InvocationRequest,
  type LambdaContainer,
} from './lambda-container.js';

/** Where an isolated handler runs. */
export const Isolation = {
  /** A worker thread: starts fast; `terminate()` stops it mid-instruction. */
  Worker: 'worker',
  /** A child process: full isolation; killed with SIGKILL. */
  Process: 'process',
} as const;
export type Isolation = (typeof Isolation)[keyof typeof Isolation];

/** Lambda's limit on the init phase (loading the module). */
const INIT_TIMEOUT_MS = 10_000;

const here = import.meta.url;
// Run from sources (tests, `--conditions=source`) the entry is TypeScript, from dist JavaScript.
const ENTRY_URL = new URL(
  here.endsWith('.ts') ? './container-entry.ts' : './container-entry.js',
  here,
);
const requireHere = createRequire(here);
const TSX_API_URL = pathToFileURL(requireHere.resolve('tsx/esm/api')).href;
const TSX_LOADER_URL = pathToFileURL(requireHere.resolve('tsx/esm')).href;

/** Options of {@link IsolatedContainer}. */
export interface IsolatedContainerOptions {
  /** Names the container on the timeline (`c1`, `c2`, ...). */
  id: string;
  /** Worker thread or child process. */
  isolation: Isolation;
  /** Where the handler is loaded from. */
  module: HandlerModuleSpec;
  /** The container's whole environment (nothing else is inherited). */
  env: Record<string, string>;
  /** Node.js `--conditions` for module resolution. */
  conditions: readonly string[];
  /** Receives the container's stdout and stderr, line by line. */
  onOutput: ContainerOutputListener;
}

/** The two ways to reach a container, behind one face. */
interface Channel {
  send(message: ToContainerMessage): void;
  /** Stops the container for real; resolves once it is gone. */
  kill(): Promise<void>;
}

type Pending =
  | { phase: 'init'; resolve: (error: SerializedError | undefined) => void }
  | { phase: 'invoke'; invocationId: string; resolve: (outcome: InvocationOutcome) => void };

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
  private channel: Channel | undefined;
  private ready = false;
  private pending: Pending | undefined;
  private killReason: string | undefined;
  private lastError: string | undefined;
  private readonly exited: Promise<void>;
  private markExited!: () => void;

  private readonly options: IsolatedContainerOptions;

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
    if (!this.ready) {
      const initError = await this.init();
      if (initError) {
        await this.kill('init failed');
        return { kind: InvocationOutcomeKind.Errored, error: initError };
      }
    }
    const channel = this.channel;
    if (!channel || !this.alive) {
      return { kind: InvocationOutcomeKind.Crashed, reason: this.deathReason() };
    }
    const outcome = await new Promise<InvocationOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.settle({ kind: InvocationOutcomeKind.TimedOut, timeoutMs: request.timeoutMs });
        void this.kill(`Task timed out after ${request.timeoutMs} ms`);
      }, request.timeoutMs);
      this.pending = {
        phase: 'invoke',
        invocationId: request.invocationId,
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      };
      request.onHandlerStart?.();
      channel.send({
        type: 'invoke',
        invocationId: request.invocationId,
        event: request.event,
        context: {
          ...request.context,
          containerId: this.id,
          deadlineMs: Date.now() + request.timeoutMs,
        },
      });
    });
    // A timed-out or crashed invocation must be fully gone before anyone goes on,
    // so it cannot report after the fact.
    if (!this.alive) await this.exited;
    return outcome;
  }

  public async kill(reason: string): Promise<void> {
    this.killReason ??= reason;
    this.alive = false;
    if (this.channel) await this.channel.kill();
    else this.markExited();
    await this.exited;
  }

  private init(): Promise<SerializedError | undefined> {
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
      this.channel = this.start();
      this.channel.send({ type: 'init', module: this.options.module });
    });
  }

  private start(): Channel {
    const { options } = this;
    const conditions = options.conditions.map((condition) => `--conditions=${condition}`);
    const onMessage = (message: FromContainerMessage) => this.onMessage(message);
    const onExit = (detail: string) => this.onExit(detail);
    if (options.isolation === Isolation.Worker) {
      const bootstrap = [
        `import { register } from ${JSON.stringify(TSX_API_URL)};`,
        'register();',
        `await import(${JSON.stringify(ENTRY_URL.href)});`,
      ].join('\n');
      const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), {
        env: options.env,
        execArgv: conditions,
        stdout: true,
        stderr: true,
      });
      this.pipeOutput(worker.stdout, 'stdout');
      this.pipeOutput(worker.stderr, 'stderr');
      worker.on('message', onMessage);
      worker.on('error', (err) => {
        this.lastError = `${err.name}: ${err.message}`;
      });
      worker.on('exit', (code) => onExit(`exit code ${code}`));
      return {
        send: (message) => worker.postMessage(message),
        kill: async () => {
          await worker.terminate();
          await this.exited;
        },
      };
    }
    const child: ChildProcess = fork(fileURLToPath(ENTRY_URL), [], {
      env: options.env,
      execArgv: [...conditions, '--import', TSX_LOADER_URL],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    if (child.stdout) this.pipeOutput(child.stdout, 'stdout');
    if (child.stderr) this.pipeOutput(child.stderr, 'stderr');
    child.on('message', (message) => onMessage(message as FromContainerMessage));
    child.on('error', (err) => {
      this.lastError = `${err.name}: ${err.message}`;
    });
    child.on('exit', (code, signal) => onExit(signal ? `signal ${signal}` : `exit code ${code}`));
    return {
      send: (message) => {
        if (child.connected) child.send(message);
      },
      kill: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await this.exited;
      },
    };
  }

  private onMessage(message: FromContainerMessage): void {
    if (message.type === 'ready') this.settleInit(undefined);
    else if (message.type === 'init-failed') this.settleInit(message.error);
    else if (
      this.pending?.phase === 'invoke' &&
      this.pending.invocationId === message.invocationId
    ) {
      this.settle(
        message.ok
          ? { kind: InvocationOutcomeKind.Returned, value: message.value }
          : { kind: InvocationOutcomeKind.Errored, error: message.error },
      );
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

  private pipeOutput(stream: Readable, name: 'stdout' | 'stderr'): void {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
      this.options.onOutput(name, line),
    );
  }
}
