import { pollTiming } from './actions/poll-status.js';
import type { Fixtures } from './fixtures/fixtures.js';
import { type BenchLambdaContext, lambdaContext } from './lambda-context.js';
import type { Variant } from './variants.js';

/** UserParameters of one polling action: its own status URL, done at the `polls`-th poll. */
export function pollUserParameters(
  statusEndpoint: string,
  actionId: string,
  options: { polls: number; intervalSeconds: number; delayMs?: number },
): string {
  const url = new URL(`/status/${actionId}`, statusEndpoint);
  url.searchParams.set('after', String(options.polls));
  if (options.delayMs) url.searchParams.set('delayMs', String(options.delayMs));
  return JSON.stringify({ url: url.toString(), intervalSeconds: options.intervalSeconds });
}

/** One delivery of an event to a container, measured. */
export interface Delivery {
  wallMs: number;
  /** User + system CPU of this process during the delivery. */
  cpuMs: number;
  dynamoRequests: number;
  codePipelineRequests: number;
  /** Wall time waiting for DynamoDB, CodePipeline and the status endpoint. */
  dynamoMs: number;
  codePipelineMs: number;
  pollMs: number;
  /** Set when the handler threw (Lambda would retry the event). */
  error?: Error;
  result?: unknown;
}

/**
 * Delivers an event and measures it. Counters are reset first, so deliveries
 * measured this way must not overlap.
 */
export async function deliver(
  variant: Variant,
  event: unknown,
  context: BenchLambdaContext = lambdaContext(),
): Promise<Delivery> {
  variant.dynamo.reset();
  variant.codePipeline.reset();
  pollTiming.totalMs = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  let error: Error | undefined;
  let result: unknown;
  try {
    result = await variant.invoke(event, context);
  } catch (err) {
    error = err instanceof Error ? err : new Error(String(err));
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    dynamoRequests: variant.dynamo.total,
    codePipelineRequests: variant.codePipeline.total,
    dynamoMs: variant.dynamo.totalElapsedMs,
    codePipelineMs: variant.codePipeline.totalElapsedMs,
    pollMs: pollTiming.totalMs,
    ...(error ? { error } : {}),
    ...(result === undefined ? {} : { result }),
  };
}

/**
 * What CodePipeline does after a job's result: a new job carrying the
 * continuation token, or nothing when the action is over.
 */
export async function continuationOf(
  fixtures: Fixtures,
  jobId: string,
  userParameters: string,
): Promise<{ jobId: string; event: unknown } | undefined> {
  const result = await fixtures.result({ jobId });
  if (result?.continuationToken === undefined) return undefined;
  return fixtures.createJob({ userParameters, continuationToken: result.continuationToken });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
