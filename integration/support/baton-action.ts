/**
 * What the integration tests share: a fresh Baton table per test on the
 * DynamoDB Local of the run, the step-log side channel of the fixture jobs,
 * and readers for the emulator's timeline.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable, DynamoDBRunStore, decodeToken } from '@baton/core';
import type { LambdaActionResult, TimelineEvent } from '@baton/testing';
import { inject } from 'vitest';
import type { StepExecution } from '../fixtures/polling-job.js';

/** Absolute path of a file in `integration/fixtures/`. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** Module spec of a fixture handler, for `runLambdaAction({ handler })`. */
export function fixtureHandler(name: string, exportName = 'handler'): string {
  return `${fixturePath(name)}#${exportName}`;
}

/**
 * The test process talks to DynamoDB Local through the SDK's standard
 * variables, like the handlers in their containers (which get
 * `AWS_ENDPOINT_URL_DYNAMODB` from here).
 */
function useDynamoDBLocal(): void {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = inject('dynamodbEndpoint');
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
}

let client: DynamoDBClient | undefined;

/** One DynamoDB client per test file, configured from the environment only. */
export function dynamoDB(): DynamoDBClient {
  useDynamoDBLocal();
  client ??= new DynamoDBClient({});
  return client;
}

/** A test's own Baton table and step log, and the environment that points a handler at them. */
export interface BatonTestbed {
  tableName: string;
  store: DynamoDBRunStore;
  /** JSON-lines file the fixture jobs log each step execution to. */
  stepLogFile: string;
  /** For `runLambdaAction({ environment })`. */
  environment: Record<string, string>;
  /** The step executions logged so far. */
  executions(): StepExecution[];
}

/** Creates a table of its own (`createTable`) and an empty step log for one test. */
export async function createTestbed(name: string): Promise<BatonTestbed> {
  const tableName = `it-${name}-${randomUUID().slice(0, 8)}`;
  await createTable(dynamoDB(), tableName);
  const stepLogFile = join(mkdtempSync(join(tmpdir(), 'baton-it-')), 'steps.jsonl');
  return {
    tableName,
    store: new DynamoDBRunStore({ tableName, client: dynamoDB() }),
    stepLogFile,
    environment: {
      BATON_TABLE_NAME: tableName,
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
      STEP_LOG_FILE: stepLogFile,
    },
    executions: () =>
      existsSync(stepLogFile)
        ? readFileSync(stepLogFile, 'utf8')
            .split('\n')
            .filter((line) => line.length > 0)
            .map((line) => JSON.parse(line) as StepExecution)
        : [],
  };
}

/** Timeline events of one type, typed. */
export function eventsOf<T extends TimelineEvent['type']>(
  result: LambdaActionResult,
  type: T,
): Extract<TimelineEvent, { type: T }>[] {
  return result.timeline.filter(
    (event): event is Extract<TimelineEvent, { type: T }> => event.type === type,
  );
}

/** The report requests CodePipeline took, in order. */
export function acceptedReports(result: LambdaActionResult) {
  return eventsOf(result, 'report-received').filter((report) => report.accepted);
}

/** A report body as the emulator received it (the SDK's JSON shape). */
export interface ReportBody {
  jobId: string;
  continuationToken?: string;
  outputVariables?: Record<string, string>;
  executionDetails?: { summary?: string; percentComplete?: number; externalExecutionId?: string };
  failureDetails?: { type: string; message: string; externalExecutionId?: string };
}

/** Accepted reports that end the action: success without a token, or failure. */
export function terminalReports(result: LambdaActionResult): ReportBody[] {
  return acceptedReports(result)
    .map((report) => report.request as ReportBody)
    .filter((body) => body.continuationToken === undefined);
}

/** The run id, read from the first continuation token Baton issued. */
export function runIdOf(result: LambdaActionResult): string {
  const token = result.jobs.find((job) => job.continuationToken !== undefined)?.continuationToken;
  if (token === undefined) throw new Error('the action has no continuation job');
  return decodeToken(token).runId;
}

/** `'start'`, `'poll 1'`, …: what the step log says ran, in order. */
export function stepNames(executions: readonly StepExecution[]): string[] {
  return executions.map((e) => (e.step === 'poll' ? `poll ${e.poll}` : e.step));
}

/** How often each step (visit) ran, e.g. `{ start: 1, 'poll 1': 1, 'poll 2': 2 }`. */
export function executionCounts(executions: readonly StepExecution[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of stepNames(executions)) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}
