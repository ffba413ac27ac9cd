/**
 * Entry point of an emulated Lambda container (a worker thread or a child
 * process). It installs the container's clock, loads the handler module once,
 * like Lambda's init phase, then runs one invocation at a time on request.
 * TypeScript loading (tsx) is set up by whoever starts this file.
 */
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';
import { ContainerClock } from './container-clock.js';
import {
  type FromContainerMessage,
  type HandlerModuleSpec,
  serializeError,
  type ToContainerMessage,
} from './container-messages.js';
import { createLambdaContext } from './lambda-context.js';
import { barrierLine } from './output-barrier.js';

type Handler = (event: unknown, context: unknown) => unknown;

const port = parentPort;
const send = (message: FromContainerMessage): void => {
  if (port) port.postMessage(message);
  else process.send?.(message);
};
let handler: Handler | undefined;
let clock: ContainerClock | undefined;
/** The invocation running, if any. */
let current: string | undefined;

const onMessage = (message: ToContainerMessage): void => {
  switch (message.type) {
    case 'init':
      void init(message.module, message.now);
      return;
    case 'invoke':
      void invoke(message);
      return;
    case 'wake':
      if (message.invocationId === current)
        void clock?.run(message.now, { sentAt: message.sentAt });
      return;
  }
};

if (port) {
  port.on('message', onMessage);
} else {
  process.on('message', (message) => onMessage(message as ToContainerMessage));
  // The emulator is gone: a container must not outlive it.
  process.on('disconnect', () => process.exit(0));
}

async function init(spec: HandlerModuleSpec, now: number): Promise<void> {
  // Before the module loads, so that everything it captures reads pipeline time.
  clock = ContainerClock.install(now, (report) => {
    if (current === undefined) return;
    send(
      report.state === 'parked'
        ? { type: 'parked', invocationId: current, dueAt: report.dueAt }
        : { type: 'busy', invocationId: current },
    );
  });
  await clock.run(now, { parking: false });
  try {
    handler = await load(spec);
    send({ type: 'ready' });
  } catch (err) {
    send({ type: 'init-failed', error: serializeError(err) });
  } finally {
    clock.freeze();
  }
}

async function load(spec: HandlerModuleSpec): Promise<Handler> {
  let module: Record<string, unknown>;
  try {
    module = (
      spec.specifier.startsWith('file:')
        ? await import(spec.specifier)
        : await tsImport(spec.specifier, { parentURL: spec.parentUrl })
    ) as Record<string, unknown>;
  } catch (err) {
    // Named as Lambda's Node.js runtime names a module that cannot load.
    const cause = err instanceof Error ? err : new Error(String(err));
    const error = new Error(`${cause.name}: ${cause.message}`, { cause });
    error.name =
      cause instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError';
    if (cause.stack) error.stack = cause.stack;
    throw error;
  }
  const exported = module[spec.exportName];
  if (typeof exported !== 'function') {
    const error = new Error(
      `${spec.specifier} has no function export named '${spec.exportName}' (exports: ${Object.keys(module).join(', ') || 'none'})`,
    );
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  return exported as Handler;
}

async function invoke(request: Extract<ToContainerMessage, { type: 'invoke' }>): Promise<void> {
  const { invocationId, event, context: contextInit } = request;
  current = invocationId;
  await clock?.run(request.now, { sentAt: request.sentAt });
  let message: FromContainerMessage;
  try {
    if (!handler) throw new Error('The container received an invocation before its handler loaded');
    const value = await handler(event, createLambdaContext(contextInit));
    // Lambda answers with the JSON of the return value; a value JSON cannot
    // carry is an invocation error there too.
    const json = value === undefined ? undefined : JSON.stringify(value);
    message = {
      type: 'result',
      invocationId,
      ok: true,
      value: json === undefined ? null : JSON.parse(json),
    };
  } catch (err) {
    message = { type: 'result', invocationId, ok: false, error: serializeError(err) };
  }
  // Lambda freezes the container once the handler returned.
  clock?.freeze();
  current = undefined;
  // After everything the handler wrote: the owner waits for these lines.
  process.stdout.write(`${barrierLine(invocationId)}\n`);
  process.stderr.write(`${barrierLine(invocationId)}\n`);
  send(message);
}
