/**
 * The world the bad-input suites play in: DynamoDB Local (two tables, every
 * request counted), the CodePipeline emulator, Baton's handler in this
 * process behind a wrapper that turns the emulator's event into the bad one,
 * and the checks every case ends with.
 *
 * Each case is played through the emulator and must end with a clear
 * `ConfigurationError` or `JobFailed` report whose message names the problem,
 * one invocation (the handler did not throw, so Lambda did not retry), and a
 * table that is unchanged or consistent with the report. An event without a
 * job id is the one exception: nothing can be reported, so the handler throws
 * `InvalidEventError` (and Lambda retries).
 */
import { randomUUID } from 'node:crypto';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { createJsonLogger, createLambdaHandler, createTable, DynamoDBRunStore } from '@baton/core';
import {
  type CodePipelineEmulator,
  type LambdaActionResult,
  startCodePipelineEmulator,
  type UserParametersValue,
} from '@baton/testing';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { createBadInputJob } from '../../fixtures/reliability/bad-input-job.js';

export type Event = {
  'CodePipeline.job': Record<string, unknown> & { data: Record<string, unknown> };
};
export type Mutate = (event: Event) => unknown;

export const data = (event: Event) => event['CodePipeline.job'].data;
export const configuration = (event: Event) =>
  (data(event).actionConfiguration as { configuration: Record<string, unknown> }).configuration;

const LOCAL = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};
const job = createBadInputJob();

export interface Played {
  result: LambdaActionResult;
  logs: string[];
  changes: string[];
  requests: number;
  thrown: unknown[];
}

/** What a bad-input suite works with (set up before its tests, stopped after). */
export interface BadInputWorld {
  readonly emulator: CodePipelineEmulator;
  readonly store: DynamoDBRunStore;
  readonly tableName: string;
  /** A second table: another Baton deployment. */
  readonly otherTable: string;
  batonHandler(logs: string[], table?: string): ReturnType<typeof createLambdaHandler>;
  /** Every item of a table, by key, as JSON text. */
  scan(table?: string): Promise<Map<string, string>>;
  /** Plays one action whose first job's event is rewritten by `mutate`. */
  play(options: PlayOptions): Promise<Played>;
}

export interface PlayOptions {
  userParameters?: UserParametersValue;
  mutate?: Mutate;
  table?: string;
  /** A run the case needs first (not a bad input itself). */
  setup?: boolean;
}

/** Sets up a world for the suite of this file (`label` names it in the figures printed after it). */
export function useBadInputWorld(label: string): BadInputWorld {
  let emulator: CodePipelineEmulator;
  let ddb: DynamoDBClient;
  let store: DynamoDBRunStore;
  let codePipeline: CodePipelineClient;
  let tableName: string;
  let otherTable: string;
  let ddbRequests = 0;
  let tried = 0;

  beforeAll(async () => {
    ddb = new DynamoDBClient({ ...LOCAL, endpoint: inject('dynamodbEndpoint') });
    ddb.middlewareStack.add(
      (next) => async (args) => {
        ddbRequests += 1;
        return next(args);
      },
      { step: 'deserialize', name: 'countRequests' },
    );
    tableName = `bad-input-${randomUUID()}`;
    otherTable = `bad-input-other-${randomUUID()}`;
    await createTable(ddb, tableName);
    await createTable(ddb, otherTable);
    store = new DynamoDBRunStore({ tableName, client: ddb });
    emulator = await startCodePipelineEmulator({ timeScale: 1 / 5000 });
    codePipeline = new CodePipelineClient({ ...emulator.clientConfig, maxAttempts: 1 });
  });

  afterAll(async () => {
    console.log(`bad input, ${label}: ${tried} cases played through the emulator`);
    await emulator?.stop();
    ddb?.destroy();
    codePipeline?.destroy();
  });

  const batonHandler = (logs: string[], table = tableName) =>
    createLambdaHandler(job, {
      tableName: table,
      dynamoDBClient: ddb,
      codePipelineClient: codePipeline,
      logger: createJsonLogger({ level: 'DEBUG', write: (line) => logs.push(line) }),
      // Metric lines join the log lines: out of the test log, and scanned for secrets too.
      metrics: { write: (line) => logs.push(line) },
      retryTakeoverAfterMs: 0,
      safetyMarginMs: 250,
    });

  const scan = async (table = tableName): Promise<Map<string, string>> => {
    const items = new Map<string, string>();
    let start: Record<string, unknown> | undefined;
    do {
      const out = await ddb.send(
        new ScanCommand({
          TableName: table,
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start as never } : {}),
        }),
      );
      for (const item of out.Items ?? [])
        items.set(`${item.pk?.S}|${item.sk?.S}`, JSON.stringify(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  };

  const play = async (options: PlayOptions): Promise<Played> => {
    if (!options.setup) tried += 1;
    const logs: string[] = [];
    const baton = batonHandler(logs, options.table);
    const thrown: unknown[] = [];
    const before = await scan();
    ddbRequests = 0;
    const result = await emulator.runLambdaAction({
      handler: async (event, context) => {
        const copy = structuredClone(event) as unknown as Event;
        try {
          return await baton(options.mutate ? options.mutate(copy) : copy, context);
        } catch (err) {
          thrown.push(err);
          throw err;
        }
      },
      userParameters:
        'userParameters' in options
          ? (options.userParameters as UserParametersValue)
          : { behaviour: 'finish' },
      functionTimeoutMs: 5000,
      // 100 ms of real time between jobs: the fixture's 50 ms polls are over by then.
      continuationDelayMs: 500_000,
      // An action that gets no result ends after 12 minutes of pipeline time (144 ms).
      noReplyTimeoutMs: 12 * 60_000,
    });
    const requests = ddbRequests;
    const after = await scan();
    return { result, logs, changes: changed(before, after), requests, thrown };
  };

  return {
    get emulator() {
      return emulator;
    },
    get store() {
      return store;
    },
    get tableName() {
      return tableName;
    },
    get otherTable() {
      return otherTable;
    },
    batonHandler,
    scan,
    play,
  };
}

/** Keys of items added, removed or changed between two scans. */
function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => before.get(key) !== after.get(key)).sort();
}

/** One invocation, no retry: the handler returned. */
export function expectNoRetry(played: Played): void {
  expect(played.thrown).toEqual([]);
  expect(played.result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
    'j1-d1-a1 returned',
  ]);
  expect(played.result.timeline.some((e) => e.type === 'retry-scheduled')).toBe(false);
}

/** No credential of any job reaches the logs or the table. */
export async function expectNoSecrets(world: BadInputWorld, played: Played): Promise<void> {
  const table = JSON.stringify([...(await world.scan()).values()]);
  const logs = played.logs.join('\n');
  for (const j of played.result.jobs) {
    for (const value of Object.values(j.artifactCredentials)) {
      if (typeof value !== 'string') continue;
      expect(logs).not.toContain(value);
      expect(table).not.toContain(value);
    }
  }
}

/** A rejected job: a ConfigurationError report naming the problem, nothing stored. */
export async function expectRejected(
  world: BadInputWorld,
  played: Played,
  message: RegExp,
  maxRequests: number,
): Promise<void> {
  expect(played.result.status).toBe('Failed');
  expect(played.result.reason).toBe('failure-reported');
  expect(played.result.failureDetails?.type).toBe('ConfigurationError');
  expect(played.result.failureDetails?.message).toMatch(message);
  expectNoRetry(played);
  expect(played.changes).toEqual([]);
  expect(played.requests).toBeLessThanOrEqual(maxRequests);
  await expectNoSecrets(world, played);
}

/** A failed run: a JobFailed report naming the problem, and a stored run that says the same. */
export async function expectJobFailed(
  world: BadInputWorld,
  played: Played,
  message: RegExp,
): Promise<void> {
  expect(played.result.reason).toBe('failure-reported');
  expect(played.result.failureDetails?.type).toBe('JobFailed');
  expect(played.result.failureDetails?.message).toMatch(message);
  expectNoRetry(played);
  const pks = new Set(played.changes.map((key) => key.split('|')[0]));
  expect(pks.size).toBe(1);
  const runId = [...pks][0]!.replace(/^run#/, '');
  const stored = await world.store.getRun(runId);
  expect(stored?.run).toMatchObject({
    status: 'failed',
    outcome: {
      kind: 'fail',
      jobId: played.result.jobs[0]!.id,
      failureType: 'JobFailed',
      message: played.result.failureDetails?.message,
    },
  });
  expect(stored?.run.leaseOwner).toBeUndefined();
  expect(stored?.history.map((h) => h.jobId)).toEqual([played.result.jobs[0]!.id]);
  await expectNoSecrets(world, played);
}
