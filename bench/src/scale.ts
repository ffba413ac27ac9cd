import { randomUUID } from 'node:crypto';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { InvocationResult } from '@baton/core';
import { type BenchEnv, clientSettings } from './bench-env.js';
import { continuationOf, pollUserParameters, sleep } from './driver.js';
import { lambdaContext } from './lambda-context.js';
import { RequestCounter } from './request-counter.js';
import { type Summary, summarize } from './stats.js';
import { createVariant, type Variant, VariantName } from './variants.js';

/** Invocations of each action: the first job, continuations, the final job. */
export const INVOCATIONS_PER_ACTION = 5;

export interface ScaleLevel {
  concurrency: number;
  variant: VariantName;
  deliveries: number;
  /** Deliveries that were extra copies of another, sent at the same time. */
  duplicates: number;
  /**
   * Invocations that polled twice: their wait was already over when the step
   * returned (a busy machine), so Baton ran the next poll inline.
   */
  doublePolls: number;
  /** Simulated Lambda containers used (one per delivery in flight at once). */
  containers: number;
  elapsedMs: number;
  /** Deliveries per second, end to end through the emulator. */
  throughput: number;
  latency: Summary;
  conditionalCheckFailed: number;
  transactionCanceled: number;
  dynamoRequests: number;
  codePipelineRequests: number;
  /** How deliveries ended, by Baton's result kind (`reported`, `in-progress`, `resent`, …). */
  kinds: Record<string, number>;
  pollHits: number;
  reportsAccepted: number;
  reportsRejected: number;
  /** Actions that did not succeed after exactly {@link INVOCATIONS_PER_ACTION} polls, and deliveries that threw. */
  anomalies: number;
  /**
   * CPU the bench process (all containers' handlers and SDK clients) used per
   * second of the level: 1.0 means one core busy all along.
   */
  benchCores: number;
  /** Mean wall ms per DynamoDB request at this level, by operation. */
  dynamoOperationMs: Record<string, number>;
  /** DynamoDB requests per second Baton got through. */
  dynamoRate: number;
  /**
   * Plain `UpdateItem` requests per second the same DynamoDB Local served at the
   * same concurrency, right after: the ceiling Baton's rate compares with.
   */
  dynamoCeiling: number;
}

/**
 * N Baton actions at once (then again with its previous commit), each through {@link INVOCATIONS_PER_ACTION}
 * invocations, on one DynamoDB Local and the emulator's CodePipeline server.
 * Every `scaleDuplicateEvery`-th delivery also arrives twice at once, as Lambda
 * may deliver it, so the conditional writes meet real contention.
 */
export async function measureScale(env: BenchEnv): Promise<ScaleLevel[]> {
  const levels: ScaleLevel[] = [];
  for (const n of env.config.scaleLevels) {
    // Baton, then its previous commit at the same N; one ceiling for both.
    const runs: Array<Omit<ScaleLevel, 'dynamoCeiling'>> = [];
    for (const variant of SCALE_VARIANTS) runs.push(await runLevel(env, n, variant));
    const dynamoCeiling = await measureDynamoCeiling(env, n, runs[0]?.dynamoRequests ?? 5 * n);
    for (const run of runs) levels.push({ ...run, dynamoCeiling });
  }
  return levels;
}

/** Baton, and Baton with its previous commit (`TransactWriteItems`). */
export const SCALE_VARIANTS: readonly VariantName[] = [
  VariantName.Baton,
  VariantName.BatonTransactCommit,
];

async function runLevel(
  env: BenchEnv,
  n: number,
  variant: VariantName,
): Promise<Omit<ScaleLevel, 'dynamoCeiling'>> {
  const { fixtures, config } = env;
  const dynamo = new RequestCounter();
  const codePipeline = new RequestCounter();
  // Lambda runs one invocation per container at a time and adds containers
  // when all are busy; each has its own SDK clients and connections.
  const idle: Variant[] = [];
  const containers: Variant[] = [];
  const acquire = (): Variant => {
    const free = idle.pop();
    if (free) return free;
    const created = createVariant(variant, env, { dynamo, codePipeline });
    containers.push(created);
    return created;
  };
  const latencies: number[] = [];
  const kinds: Record<string, number> = {};
  let deliveries = 0;
  let duplicates = 0;
  let doublePolls = 0;
  let anomalies = 0;

  const invoke = async (event: unknown): Promise<void> => {
    const container = acquire();
    const started = performance.now();
    try {
      const result = (await container.invoke(event, lambdaContext())) as InvocationResult;
      kinds[result.kind] = (kinds[result.kind] ?? 0) + 1;
      if (result.stepsRun > 1) doublePolls += result.stepsRun - 1;
    } catch {
      kinds.threw = (kinds.threw ?? 0) + 1;
      anomalies += 1;
    } finally {
      latencies.push(performance.now() - started);
      idle.push(container);
    }
  };

  const action = async (index: number): Promise<void> => {
    const actionId = `scale-${n}-${index}-${randomUUID().slice(0, 8)}`;
    const userParameters = pollUserParameters(fixtures.statusEndpoint, actionId, {
      polls: INVOCATIONS_PER_ACTION,
      intervalSeconds: config.intervalSeconds,
    });
    let job: { jobId: string; event: unknown } = await fixtures.createJob({ userParameters });
    for (;;) {
      deliveries += 1;
      const duplicate =
        config.scaleDuplicateEvery > 0 && deliveries % config.scaleDuplicateEvery === 0;
      if (duplicate) duplicates += 1;
      await Promise.all([invoke(job.event), ...(duplicate ? [invoke(job.event)] : [])]);
      const next = await continuationOf(fixtures, job.jobId, userParameters);
      if (!next) break;
      await sleep(config.intervalSeconds * 1000);
      job = next;
    }
    const result = await fixtures.result({ jobId: job.jobId });
    const hits = await fixtures.pollHits({ actionId });
    if (result?.kind !== 'success' || hits !== INVOCATIONS_PER_ACTION) anomalies += 1;
  };

  const hitsBefore = await fixtures.pollHits({});
  const reportsBefore = await fixtures.reports({});
  const cpu = process.cpuUsage();
  const started = performance.now();
  let elapsedMs: number;
  let cpuMs: number;
  try {
    await Promise.all(Array.from({ length: n }, (_, i) => action(i)));
    elapsedMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    cpuMs = (used.user + used.system) / 1000;
  } finally {
    for (const container of containers) container.destroy();
  }
  const reports = await fixtures.reports({});
  const total = deliveries + duplicates;
  return {
    concurrency: n,
    variant,
    deliveries: total,
    duplicates,
    doublePolls,
    containers: containers.length,
    elapsedMs,
    throughput: total / (elapsedMs / 1000),
    latency: summarize(latencies),
    conditionalCheckFailed: dynamo.errors.ConditionalCheckFailedException ?? 0,
    transactionCanceled: dynamo.errors.TransactionCanceledException ?? 0,
    dynamoRequests: dynamo.total,
    codePipelineRequests: codePipeline.total,
    kinds,
    pollHits: (await fixtures.pollHits({})) - hitsBefore,
    reportsAccepted: reports.accepted - reportsBefore.accepted,
    reportsRejected: reports.rejected - reportsBefore.rejected,
    anomalies,
    dynamoOperationMs: Object.fromEntries(
      Object.entries(dynamo.requests).map(([op, count]) => [
        op,
        (dynamo.elapsedMs[op] ?? 0) / count,
      ]),
    ),
    dynamoRate: dynamo.total / (elapsedMs / 1000),
    benchCores: cpuMs / elapsedMs,
  };
}

/**
 * `requests` plain `UpdateItem`s (one small attribute, like a claim without its
 * condition) from `concurrency` clients at once, each on its own item: how many
 * requests per second DynamoDB Local serves here with nothing else running.
 */
async function measureDynamoCeiling(
  env: BenchEnv,
  concurrency: number,
  requests: number,
): Promise<number> {
  const clients = Array.from(
    { length: concurrency },
    () => new DynamoDBClient(clientSettings(env.ddb.endpoint)),
  );
  let left = requests;
  const started = performance.now();
  try {
    await Promise.all(
      clients.map(async (client, worker) => {
        const key = { pk: { S: `ceiling#${concurrency}#${worker}` }, sk: { S: 'run' } };
        while (left > 0) {
          left -= 1;
          await client.send(
            new UpdateItemCommand({
              TableName: env.batonTable,
              Key: key,
              UpdateExpression: 'SET updatedAt = :now',
              ExpressionAttributeValues: { ':now': { N: String(Date.now()) } },
            }),
          );
        }
      }),
    );
    return requests / ((performance.now() - started) / 1000);
  } finally {
    for (const client of clients) client.destroy();
  }
}
