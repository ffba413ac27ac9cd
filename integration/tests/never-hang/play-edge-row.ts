/**
 * Plays one row of the edge suite: the row's job behind Baton's Lambda
 * handler, through the CodePipeline emulator (Lambda's retries included) and
 * DynamoDB Local, and collects what a reviewer checks: the action's end, how
 * each invocation ended, how often user code ran, and everything Baton wrote
 * (log lines, table items, report requests) to search for secrets.
 */
import { randomUUID } from 'node:crypto';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  createJsonLogger,
  createLambdaHandler,
  createTable,
  type Job,
  type LambdaHandlerOptions,
} from '@baton/core';
import type { CodePipelineEmulator, LambdaActionResult } from '@baton/testing';
import type { CountRun } from '../../fixtures/never-hang/edge-jobs.js';

/** What playing a row gave. */
export interface PlayedRow {
  result: LambdaActionResult;
  /** `'j1-d1-a1 returned'`, … in order of start. */
  invocations: string[];
  /** User code runs, by step (or `initialState`). */
  runs: Record<string, number>;
  /** Every log line, table item and report request, as one text to search. */
  written: string;
  /** Values the handler threw (each one a Lambda retry). */
  thrown: unknown[];
}

/** How a row's job is played. */
export interface PlayOptions {
  emulator: CodePipelineEmulator;
  dynamoDB: DynamoDBClient;
  job: (count: CountRun) => Job<Record<string, unknown>, unknown>;
  userParameters?: Record<string, unknown> | string;
  /** Handler options; `tableName: undefined` plays a function without a table. */
  handlerOptions?: Partial<LambdaHandlerOptions>;
  withoutTable?: boolean;
  functionTimeoutMs?: number;
  /**
   * A new deployment of the function: after `afterInvocations` invocations,
   * the handler of this job answers instead (same table, same clients).
   */
  upgrade?: { job: PlayOptions['job']; afterInvocations: number };
}

export async function playEdgeRow(options: PlayOptions): Promise<PlayedRow> {
  const tableName = `edge-${randomUUID().slice(0, 8)}`;
  if (!options.withoutTable) await createTable(options.dynamoDB, tableName);
  const runs: Record<string, number> = {};
  const logs: string[] = [];
  const thrown: unknown[] = [];
  const codePipeline = new CodePipelineClient({ ...options.emulator.clientConfig, maxAttempts: 1 });
  const count = (what: string) => {
    runs[what] = (runs[what] ?? 0) + 1;
  };
  const deploy = (job: PlayOptions['job']) =>
    createLambdaHandler(job(count), {
      ...(options.withoutTable ? {} : { tableName }),
      dynamoDBClient: options.dynamoDB,
      codePipelineClient: codePipeline,
      logger: createJsonLogger({ level: 'DEBUG', write: (line) => logs.push(line) }),
      // Metric lines join the log lines: out of the test log, and scanned for secrets too.
      metrics: { write: (line) => logs.push(line) },
      retryTakeoverAfterMs: 0,
      safetyMarginMs: 250,
      ...options.handlerOptions,
    });
  const first = deploy(options.job);
  const upgraded = options.upgrade && deploy(options.upgrade.job);
  let invocations = 0;
  try {
    const result = await options.emulator.runLambdaAction({
      handler: async (event, context) => {
        try {
          invocations += 1;
          const deployed =
            upgraded && invocations > (options.upgrade?.afterInvocations ?? 0) ? upgraded : first;
          return await deployed(event, context);
        } catch (err) {
          thrown.push(err);
          throw err;
        }
      },
      userParameters: options.userParameters ?? {},
      // These rows were timed on the host's real clock.
      handlerClock: 'real',
      functionTimeoutMs: options.functionTimeoutMs ?? 5000,
    });
    const table = options.withoutTable ? [] : await scan(options.dynamoDB, tableName);
    const reports = result.timeline
      .filter((event) => event.type === 'report-received')
      .map((event) => JSON.stringify(event.request));
    return {
      result,
      invocations: result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`),
      runs,
      written: [...logs, ...table, ...reports].join('\n'),
      thrown,
    };
  } finally {
    codePipeline.destroy();
  }
}

async function scan(client: DynamoDBClient, tableName: string): Promise<string[]> {
  const items: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await client.send(
      new ScanCommand({
        TableName: tableName,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start as never } : {}),
      }),
    );
    for (const item of out.Items ?? []) items.push(JSON.stringify(item));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every piece of `secret` of `length` characters found in `text`. */
export function secretPiecesIn(text: string, secret: string, length = 10): string[] {
  const found = new Set<string>();
  for (let i = 0; i + length <= secret.length; i++) {
    const piece = secret.slice(i, i + length);
    if (text.includes(piece)) found.add(piece);
  }
  return [...found];
}
