/**
 * Entry point of an emulated Lambda container (a worker thread or a child
 * process). It loads the handler module once, like Lambda's init phase, then
 * runs one invocation at a time on request. TypeScript loading (tsx) is set up
 * by whoever starts this file.
 */
import { parentPort } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';
import {
  type FromContainerMessage,
  type HandlerModuleSpec,
  serializeError,
  type ToContainerMessage,
} from './container-messages.js';
import { createLambdaContext } from './lambda-context.js';

type Handler = (event: unknown, context: unknown) => unknown;

const port = parentPort;
const send = (message: FromContainerMessage): void => {
  if (port) port.postMessage(message);
  else process.send?.(message);
};
let handler: Handler | undefined;

const onMessage = (message: ToContainerMessage): void => {
  if (message.type === 'init') {
    load(message.module).then(
      (loaded) => {
        handler = loaded;
        send({ type: 'ready' });
      },
      (err: unknown) => send({ type: 'init-failed', error: serializeError(err) }),
    );
    return;
  }
  void invoke(message.invocationId, message.event, message.context);
};

if (port) {
  port.on('message', onMessage);
} else {
  process.on('message', (message) => onMessage(message as ToContainerMessage));
  // The emulator is gone: a container must not outlive it.
  process.on('disconnect', () => process.exit(0));
}

async function load(spec: HandlerModuleSpec): Promise<Handler> {
  const module = (
    spec.specifier.startsWith('file:')
      ? await import(spec.specifier)
      : await tsImport(spec.specifier, { parentURL: spec.parentUrl })
  ) as Record<string, unknown>;
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

async function invoke(
  invocationId: string,
  event: unknown,
  contextInit: Parameters<typeof createLambdaContext>[0],
): Promise<void> {
  try {
    if (!handler) throw new Error('The container received an invocation before its handler loaded');
    const value = await handler(event, createLambdaContext(contextInit));
    // Lambda answers with the JSON of the return value; a value JSON cannot
    // carry is an invocation error there too.
    const json = value === undefined ? undefined : JSON.stringify(value);
    send({
      type: 'result',
      invocationId,
      ok: true,
      value: json === undefined ? null : JSON.parse(json),
    });
  } catch (err) {
    send({ type: 'result', invocationId, ok: false, error: serializeError(err) });
  }
}
