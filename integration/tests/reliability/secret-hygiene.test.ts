/**
 * Secret hygiene with the seed events: their artifact credentials, handed to
 * a job that leaks them every way it can, reach no log line (Baton's logger in
 * this process, and stdout of worker containers as the emulator captures it)
 * and no item of the table. The fault-schedule suites check the same for the
 * emulator's fresh credentials of every job they play.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { createJsonLogger, createLambdaHandler, createTable } from '@baton/core';
import {
  type CodePipelineEmulator,
  type LambdaActionResult,
  startCodePipelineEmulator,
} from '@baton/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCarelessJob } from '../../fixtures/reliability/careless-job.js';
import {
  readSeedEvent,
  SEED_EVENT_FILES,
  seedSecrets,
  withSeedData,
} from '../../fixtures/reliability/seed-events.js';

const LOCAL = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};
const SEED_WORKER = fileURLToPath(
  new URL('../../fixtures/reliability/seed-worker-handler.ts', import.meta.url),
);

let emulator: CodePipelineEmulator;
let ddb: DynamoDBClient;
let codePipeline: CodePipelineClient;
let tableName: string;
const logs: string[] = [];
const secrets = new Set<string>();

beforeAll(async () => {
  ddb = new DynamoDBClient({ ...LOCAL, endpoint: inject('dynamodbEndpoint') });
  tableName = `secrets-${randomUUID()}`;
  await createTable(ddb, tableName);
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 5000 });
  codePipeline = new CodePipelineClient({ ...emulator.clientConfig, maxAttempts: 1 });
  for (const file of SEED_EVENT_FILES)
    for (const s of seedSecrets(readSeedEvent(file))) secrets.add(s);
});

afterAll(async () => {
  await emulator?.stop();
  ddb?.destroy();
  codePipeline?.destroy();
});

async function scanTable(): Promise<string> {
  const out = await ddb.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
  return JSON.stringify(out.Items ?? []);
}

function inProcess(file: string, ending: 'succeed' | 'fail'): Promise<LambdaActionResult> {
  const seed = readSeedEvent(file);
  const baton = createLambdaHandler(createCarelessJob(ending), {
    tableName,
    dynamoDBClient: ddb,
    codePipelineClient: codePipeline,
    logger: createJsonLogger({ level: 'DEBUG', write: (line) => logs.push(line) }),
    // Metric lines join the log lines: out of the test log, and scanned for secrets too.
    metrics: { write: (line) => logs.push(line) },
    retryTakeoverAfterMs: 0,
    safetyMarginMs: 250,
  });
  return emulator.runLambdaAction({
    handler: (event, context) => baton(withSeedData(event, seed), context),
    functionTimeoutMs: 5000,
    faults: [{ kind: 'duplicate-delivery', mode: 'sequential' }, { kind: 'response-lost' }],
  });
}

function inWorker(file: string): Promise<LambdaActionResult> {
  return emulator.runLambdaAction({
    handler: SEED_WORKER,
    functionTimeoutMs: 5000,
    environment: {
      BATON_SEED_EVENT: file,
      BATON_TABLE_NAME: tableName,
      AWS_LAMBDA_LOG_LEVEL: 'DEBUG',
    },
    faults: [{ kind: 'cut-off', at: 'report-applied', when: { sequence: 2, attempt: 1 } }],
  });
}

const reportsOf = (result: LambdaActionResult) =>
  JSON.stringify(result.timeline.filter((e) => e.type === 'report-received'));
const outputOf = (result: LambdaActionResult) =>
  result.timeline.flatMap((e) => (e.type === 'handler-output' ? [e.text] : []));

describe("the seed events' credentials reach no log line and no table item", () => {
  const [jsonSeed, textSeed] = SEED_EVENT_FILES as [string, string];

  it('the first seed, run to success in this process, with duplicates and a lost answer', async () => {
    const result = await inProcess(jsonSeed, 'succeed');
    expect(result.status).toBe('Succeeded');
    expect(result.outputVariables).toEqual({ key: '[REDACTED]', secret: '[REDACTED]' });
    expect(reportsOf(result)).toContain('[REDACTED]');
    for (const secret of seedSecrets(readSeedEvent(jsonSeed)))
      expect(reportsOf(result)).not.toContain(secret);
  });

  it('the first seed, run to a failure in this process', async () => {
    const result = await inProcess(jsonSeed, 'fail');
    expect(result.failureDetails).toEqual({
      type: 'PermissionError',
      message: 'refused for [REDACTED]/[REDACTED]/[REDACTED]',
      externalExecutionId: expect.any(String),
    });
  });

  it('the second seed (text parameters, a foreign token) is rejected without echoing them', async () => {
    const result = await inProcess(textSeed, 'succeed');
    expect(result.failureDetails?.type).toBe('ConfigurationError');
    for (const secret of seedSecrets(readSeedEvent(textSeed)))
      expect(reportsOf(result)).not.toContain(secret);
  });

  it('the first seed in a worker container, crashing after a report, logging to stdout', async () => {
    const result = await inWorker(jsonSeed);
    expect(result.status).toBe('Succeeded');
    const output = outputOf(result);
    expect(output.some((line) => line.includes('[REDACTED]'))).toBe(true);
    logs.push(...output);
  });

  it('the second seed in a worker container', async () => {
    const result = await inWorker(textSeed);
    expect(result.failureDetails?.type).toBe('ConfigurationError');
    logs.push(...outputOf(result));
  });

  it('no credential value is in any captured log line or anywhere in the table', async () => {
    expect(logs.length).toBeGreaterThan(50);
    expect(secrets.size).toBe(5);
    const text = logs.join('\n');
    const table = await scanTable();
    expect(table).toContain('[REDACTED]');
    expect([...secrets].filter((s) => text.includes(s))).toEqual([]);
    expect([...secrets].filter((s) => table.includes(s))).toEqual([]);
  });
});
