import type { CodePipelineJobEvent } from './codepipeline-shapes.js';
import { serializeError } from './container-messages.js';
import {
  type InvocationOutcome,
  InvocationOutcomeKind,
  type InvocationRequest,
  type LambdaContainer,
  type LambdaHandler,
} from './lambda-container.js';
import { createLambdaContext } from './lambda-context.js';

/**
 * Runs a handler function in the emulator's own process. It cannot be killed:
 * on timeout the invocation is abandoned (its promise is ignored, its code may
 * keep running), which is why cut-off faults need an isolated container.
 *
 * @example
 * ```ts
 * const container = new InProcessContainer('c1', async (event, context) => ({ ok: true }));
 * const outcome = await container.invoke({ invocationId: 'j1-d1-a1', event, context, timeoutMs: 1_000 });
 * ```
 */
export class InProcessContainer implements LambdaContainer {
  public alive = true;
  public invocationCount = 0;

  public readonly id: string;
  private readonly handler: LambdaHandler;

  public constructor(id: string, handler: LambdaHandler) {
    this.id = id;
    this.handler = handler;
  }

  public async invoke(request: InvocationRequest): Promise<InvocationOutcome> {
    this.invocationCount += 1;
    const context = createLambdaContext({
      ...request.context,
      containerId: this.id,
      deadlineMs: Date.now() + request.timeoutMs,
    });
    // A copy, as Lambda deserialises the event afresh: the handler cannot change ours.
    const event = structuredClone(request.event) as CodePipelineJobEvent;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<InvocationOutcome>((resolve) => {
      timer = setTimeout(() => {
        this.alive = false;
        resolve({ kind: InvocationOutcomeKind.TimedOut, timeoutMs: request.timeoutMs });
      }, request.timeoutMs);
    });
    request.onHandlerStart?.();
    const ran = (async (): Promise<InvocationOutcome> => {
      try {
        const value = await this.handler(event, context);
        return { kind: InvocationOutcomeKind.Returned, value };
      } catch (err) {
        return { kind: InvocationOutcomeKind.Errored, error: serializeError(err) };
      }
    })();
    try {
      return await Promise.race([ran, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  public async kill(): Promise<void> {
    this.alive = false;
  }
}
