/**
 * The world the fault schedules play in: DynamoDB Local behind the fault
 * proxy, the CodePipeline emulator, the clients of in-process handlers, the
 * suite's compressed timing, and the figures a suite collects.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CodePipelineClient, PutJobFailureResultCommand } from '@aws-sdk/client-codepipeline';
import { DescribeTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { createTable, DynamoDBRunStore } from '@baton/core';
import { type CodePipelineEmulator, startCodePipelineEmulator } from '@baton/testing';
import {
  type DynamoDBFaultProxy,
  startDynamoDBFaultProxy,
} from '../../fixtures/reliability/dynamodb-fault-proxy.js';
import {
  compressedRetryStrategy,
  tagDynamoDBClient,
} from '../../fixtures/reliability/invocation-context.js';

/** Pipeline timing: a pipeline minute lasts 12 ms; handlers run in real time. */
export const TIME_SCALE = 1 / 5000;
/**
 * The no-reply window, in pipeline ms: three hours (2.2 s real while no
 * handler runs) instead of 20 minutes, so a test machine busy with other
 * suites cannot make a job time out that it merely delayed.
 */
export const NO_REPLY_TIMEOUT_MS = 3 * 60 * 60_000;
/** Function timeout (real ms): short, so budgets and overruns are cheap to reach. */
export const FUNCTION_TIMEOUT_MS = 3000;
/**
 * Safety margin of the fixture handlers (real ms): a quarter of the
 * invocation, as Baton's default for short functions, so a commit and a
 * report still fit when the test machine is busy with other suites.
 */
export const SAFETY_MARGIN_MS = 750;

/** Figures over every schedule a suite played. */
export interface Totals {
  schedules: number;
  invocations: number;
  stepExecutions: number;
  faults: Record<string, number>;
  violations: number;
  /** Largest event-loop delay of the test process seen, in ms. */
  maxLagMs: number;
}

export interface ReliabilityEnv {
  emulator: CodePipelineEmulator;
  proxy: DynamoDBFaultProxy;
  tableName: string;
  /** A client straight to DynamoDB Local (no faults), for the test's own reads. */
  direct: DynamoDBClient;
  store: DynamoDBRunStore;
  /** The in-process handlers' client: through the proxy, tagged per invocation. */
  proxied: DynamoDBClient;
  codePipeline: CodePipelineClient;
  workDir: string;
  totals: Totals;
  /** Every artifact credential value any job was given. */
  secrets: Set<string>;
  /**
   * Event-loop delay of the test process. In-process handlers share its event
   * loop, so a handler can return late by as much as the loop was held up;
   * the property resets it before each batch.
   */
  lag: ReturnType<typeof monitorEventLoopDelay>;
  stop(): Promise<void>;
}

const LOCAL = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

export async function startReliabilityEnv(dynamodbEndpoint: string): Promise<ReliabilityEnv> {
  const direct = new DynamoDBClient({ ...LOCAL, endpoint: dynamodbEndpoint });
  const tableName = `reliability-${randomUUID()}`;
  await createTable(direct, tableName);
  const proxy = await startDynamoDBFaultProxy(dynamodbEndpoint);
  const emulator = await startCodePipelineEmulator({ timeScale: TIME_SCALE });
  const proxied = tagDynamoDBClient(
    new DynamoDBClient({
      ...LOCAL,
      endpoint: proxy.endpoint,
      retryStrategy: compressedRetryStrategy(),
    }),
    () => {
      throw new Error('in-process handlers cannot crash: crash faults need worker schedules');
    },
  );
  const codePipeline = new CodePipelineClient({ ...emulator.clientConfig, maxAttempts: 1 });
  // A Lambda container loads its SDK clients once; so do the in-process
  // handlers, before the first schedule's time budget starts.
  await proxied.send(new DescribeTableCommand({ TableName: tableName }));
  const warmUp = emulator.createJob();
  await codePipeline.send(
    new PutJobFailureResultCommand({
      jobId: warmUp.id,
      failureDetails: { type: 'JobFailed', message: 'warm-up' },
    }),
  );
  const workDir = mkdtempSync(join(tmpdir(), 'baton-reliability-'));
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  return {
    emulator,
    proxy,
    tableName,
    direct,
    store: new DynamoDBRunStore({ tableName, client: direct }),
    proxied,
    codePipeline,
    workDir,
    totals: {
      schedules: 0,
      invocations: 0,
      stepExecutions: 0,
      faults: {},
      violations: 0,
      maxLagMs: 0,
    },
    secrets: new Set(),
    lag,
    stop: async () => {
      lag.disable();
      await emulator.stop();
      await proxy.close();
      direct.destroy();
      proxied.destroy();
      codePipeline.destroy();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** Every item of the table, as JSON text (for the secret scan). */
export async function scanTable(env: ReliabilityEnv): Promise<string> {
  const items: unknown[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await env.direct.send(
      new ScanCommand({
        TableName: env.tableName,
        ...(start ? { ExclusiveStartKey: start as never } : {}),
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items);
}
