import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type {
  FromContainerMessage,
  HandlerModuleSpec,
  ToContainerMessage,
} from './container-messages.js';
import type { ContainerOutputListener } from './lambda-container.js';
import { barrierOf } from './output-barrier.js';

/** Where an isolated handler runs. */
export const Isolation = {
  /** A worker thread: starts fast; `terminate()` stops it mid-instruction. */
  Worker: 'worker',
  /** A child process: full isolation; killed with SIGKILL. */
  Process: 'process',
} as const;
export type Isolation = (typeof Isolation)[keyof typeof Isolation];

const here = import.meta.url;
// Run from sources (tests, `--conditions=source`) the entry is TypeScript, from dist JavaScript.
const ENTRY_URL = new URL(
  here.endsWith('.ts') ? './container-entry.ts' : './container-entry.js',
  here,
);
const requireHere = createRequire(here);
const TSX_API_URL = pathToFileURL(requireHere.resolve('tsx/esm/api')).href;
const TSX_LOADER_URL = pathToFileURL(requireHere.resolve('tsx/esm')).href;

/** How an isolated container is started. */
export interface ContainerLaunch {
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

/** What a channel tells its container's owner. */
export interface ChannelEvents {
  onMessage(message: FromContainerMessage): void;
  /** The worker or process reported an error (it exits next). */
  onError(error: Error): void;
  /** The worker or process is gone; `detail` says how it ended. */
  onExit(detail: string): void;
  /** A barrier line (`output-barrier.ts`) arrived on `stream`: the invocation's output before it is in. */
  onBarrier?(stream: 'stdout' | 'stderr', invocationId: string): void;
}

/** The two ways to reach a container, behind one face. */
export interface ContainerChannel {
  send(message: ToContainerMessage): void;
  /** Stops the container for real; `onExit` follows. */
  kill(): Promise<void>;
}

/**
 * Starts a worker thread or child process running the container entry, with
 * TypeScript loading (tsx) set up.
 *
 * @example
 * ```ts
 * const channel = openContainerChannel(launch, { onMessage, onError, onExit });
 * channel.send({ type: 'init', module: launch.module });
 * ```
 */
export function openContainerChannel(
  launch: ContainerLaunch,
  events: ChannelEvents,
): ContainerChannel {
  const conditions = launch.conditions.map((condition) => `--conditions=${condition}`);
  const onOutput: ContainerOutputListener = (stream, line) => {
    const barrier = barrierOf(line);
    if (barrier === undefined) launch.onOutput(stream, line);
    else events.onBarrier?.(stream, barrier);
  };
  if (launch.isolation === Isolation.Worker) {
    const bootstrap = [
      `import { register } from ${JSON.stringify(TSX_API_URL)};`,
      'register();',
      `await import(${JSON.stringify(ENTRY_URL.href)});`,
    ].join('\n');
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), {
      env: launch.env,
      execArgv: conditions,
      stdout: true,
      stderr: true,
    });
    pipeOutput(worker.stdout, 'stdout', onOutput);
    pipeOutput(worker.stderr, 'stderr', onOutput);
    worker.on('message', (message: FromContainerMessage) => events.onMessage(message));
    worker.on('error', (err) => events.onError(err));
    worker.on('exit', (code) => events.onExit(`exit code ${code}`));
    return {
      send: (message) => worker.postMessage(message),
      kill: async () => {
        await worker.terminate();
      },
    };
  }
  const child: ChildProcess = fork(fileURLToPath(ENTRY_URL), [], {
    env: launch.env,
    execArgv: [...conditions, '--import', TSX_LOADER_URL],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  if (child.stdout) pipeOutput(child.stdout, 'stdout', onOutput);
  if (child.stderr) pipeOutput(child.stderr, 'stderr', onOutput);
  child.on('message', (message) => events.onMessage(message as FromContainerMessage));
  child.on('error', (err) => events.onError(err));
  child.on('exit', (code, signal) =>
    events.onExit(signal ? `signal ${signal}` : `exit code ${code}`),
  );
  return {
    send: (message) => {
      if (child.connected) child.send(message);
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

function pipeOutput(
  stream: Readable,
  name: 'stdout' | 'stderr',
  onOutput: ContainerOutputListener,
): void {
  createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
    onOutput(name, line),
  );
}
