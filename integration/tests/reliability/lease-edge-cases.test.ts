/**
 * Two lease cases the in-process fault schedules cannot reach, because their
 * handlers take over a same-request lease at once (`retryTakeoverAfterMs: 0`:
 * they run on the host's clock, where Lambda's retry comes 12 ms after a
 * failure). These use Baton's defaults.
 */
import { randomUUID } from 'node:crypto';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type Clock,
  createLambdaHandler,
  createTable,
  defineJob,
  goTo,
  type LambdaHandlerOptions,
  succeed,
  wait,
} from '@baton/core';
import { type CodePipelineEmulator, startCodePipelineEmulator } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type DynamoDBFaultProxy,
  ProxiedAction,
  startDynamoDBFaultProxy,
} from '../../fixtures/reliability/dynamodb-fault-proxy.js';
import {
  compressedRetryStrategy,
  tagDynamoDBClient,
  trackInvocations,
} from '../../fixtures/reliability/invocation-context.js';

const LOCAL = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let emulator: CodePipelineEmulator;
let proxy: DynamoDBFaultProxy;
let direct: DynamoDBClient;
let proxied: DynamoDBClient;
let codePipeline: CodePipelineClient;
let tableName: string;

beforeAll(async () => {
  const endpoint = inject('dynamodbEndpoint');
  direct = new DynamoDBClient({ ...LOCAL, endpoint });
  tableName = `lease-${randomUUID()}`;
  await createTable(direct, tableName);
  proxy = await startDynamoDBFaultProxy(endpoint);
  proxied = tagDynamoDBClient(
    new DynamoDBClient({
      ...LOCAL,
      endpoint: proxy.endpoint,
      retryStrategy: compressedRetryStrategy(),
    }),
    () => {
      throw new Error('no crashes here');
    },
  );
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 5000 });
  codePipeline = new CodePipelineClient({ ...emulator.clientConfig, maxAttempts: 1 });
});

afterAll(async () => {
  await emulator?.stop();
  await proxy?.close();
  direct?.destroy();
  proxied?.destroy();
  codePipeline?.destroy();
});

/** Counts executions per step. */
function deployJob(gate?: Promise<void>) {
  const runs = { start: 0, deploy: 0, verify: 0 };
  const job = defineJob({
    name: 'deploy',
    initialState: {},
    firstStep: 'start',
    steps: {
      start: async () => {
        runs.start += 1;
        if (runs.start === 1 && gate) await gate; // the first delivery's long step
        return goTo('deploy');
      },
      deploy: () => {
        runs.deploy += 1;
        return goTo('verify');
      },
      verify: () => {
        runs.verify += 1;
        return succeed({ outputVariables: { deployed: 'yes' } });
      },
    },
  });
  return { job, runs };
}

const base = (): LambdaHandlerOptions => ({
  tableName,
  codePipelineClient: codePipeline,
  logger: quiet,
  metrics: { write: () => {} },
});

describe('lease edge cases with default settings', () => {
  it("a claim whose answer was lost is still this invocation's: the job gets its result", async () => {
    // DynamoDB applied the claim but the connection dropped: the SDK sends it
    // again, the condition fails, and the old item shows this invocation's own lease.
    const faults = new ProxiedAction([
      { sequence: 1, op: 'claim', nth: 1, times: 1, kind: 'applied-lost' },
    ]);
    const { job, runs } = deployJob();
    const kinds: string[] = [];
    const handler = trackInvocations(
      createLambdaHandler(job, { ...base(), dynamoDBClient: proxied }),
      (record) => kinds.push(record.kind ?? record.error ?? '?'),
    );
    const result = await emulator.runLambdaAction({
      handler,
      functionTimeoutMs: 10_000,
      noReplyTimeoutMs: 20 * 60_000,
      onEvent: (event) => {
        if (event.type === 'job-created') proxy.attach(event.jobId, event.sequence, faults);
      },
    });
    expect(faults.injected.map((f) => `${f.op} ${f.kind}`)).toEqual(['claim applied-lost']);
    expect(kinds).toEqual(['reported']);
    expect(result.status).toBe('Succeeded');
    expect(runs).toEqual({ start: 1, deploy: 1, verify: 1 });
  });

  it("a duplicate delivery that takes over a live invocation's lease: no committed step runs again", async () => {
    // Lambda can deliver an event twice, with the same request id. A second
    // delivery a minute into a long first invocation looks like Lambda's retry
    // of a dead attempt, takes the lease over and finishes the run; the first
    // invocation must not then run the steps the second one committed.
    let time = Date.now();
    const clock: Clock = {
      now: () => time,
      sleep: async (ms) => {
        time += ms;
      },
    };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { job, runs } = deployJob(gate);
    const handler = createLambdaHandler(job, { ...base(), dynamoDBClient: direct, clock });
    const created = emulator.createJob();
    const context = { getRemainingTimeInMillis: () => 900_000, awsRequestId: randomUUID() };

    const first = handler(structuredClone(created.event), context);
    while (runs.start === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    time += 60_000; // the first delivery's step is still running a minute later
    const second = await handler(structuredClone(created.event), context);
    expect(second.kind).toBe('reported');
    expect(emulator.getJob(created.id)?.result).toMatchObject({ kind: 'success' });
    expect(runs).toEqual({ start: 2, deploy: 1, verify: 1 });

    release();
    const late = await first;
    expect(late.kind).toBe('lease-lost');
    // 'deploy' was committed by the second delivery: it must not have run again.
    expect(runs).toEqual({ start: 2, deploy: 1, verify: 1 });
  });

  it('a take-over during a wait slept inline, before the first step: no committed step runs again', async () => {
    // Waits up to maxInlineWaitSeconds are slept in the invocation. When that
    // is longer than the take-over age, a second delivery can take the lease
    // over while the first one sleeps, before it has run any step.
    let time = Date.now();
    let sleeping: (() => void) | undefined;
    const clock: Clock = {
      now: () => time,
      sleep: (ms) => {
        time += ms;
        // The first inline sleep lasts until the test ends it; later ones pass at once.
        if (sleeping !== undefined) return Promise.resolve();
        return new Promise<void>((resolve) => {
          sleeping = resolve;
        });
      },
    };
    const runs = { start: 0, deploy: 0 };
    const job = defineJob({
      name: 'long-inline-wait',
      initialState: {},
      firstStep: 'start',
      maxInlineWaitSeconds: 120,
      steps: {
        start: () => {
          runs.start += 1;
          return wait({ seconds: 100, step: 'deploy' });
        },
        deploy: () => {
          runs.deploy += 1;
          return succeed();
        },
      },
    });
    const handler = createLambdaHandler(job, { ...base(), dynamoDBClient: direct, clock });
    // The first job has too little time for the wait: it hands on.
    const first = await handler(emulator.createJob().event, {
      getRemainingTimeInMillis: () => 30_000,
      awsRequestId: randomUUID(),
    });
    if (first.outcome?.kind !== 'continue') throw new Error('expected a continuation');
    const created = emulator.createJob();
    const event = structuredClone(created.event) as unknown as {
      'CodePipeline.job': { data: { continuationToken?: string } };
    };
    event['CodePipeline.job'].data.continuationToken = first.outcome.continuationToken;
    const context = { getRemainingTimeInMillis: () => 900_000, awsRequestId: randomUUID() };

    time += 10_000; // the next job comes 10 s later and sleeps out the rest inline
    const sleeper = handler(structuredClone(event), context);
    while (sleeping === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    time += 60_000; // a second delivery of it, a minute later, takes the lease over
    const second = await handler(structuredClone(event), context);
    expect(second.kind).toBe('reported');
    expect(runs).toEqual({ start: 1, deploy: 1 });

    sleeping?.();
    const late = await sleeper;
    expect(late.kind).toBe('lease-lost');
    expect(runs).toEqual({ start: 1, deploy: 1 });
  });
});
