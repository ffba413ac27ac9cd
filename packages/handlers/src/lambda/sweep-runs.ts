import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBRunStore, type SweepResult, sweepRuns } from '@baton/core';
import { sweepReport } from '../sweep/sweep-report.js';

let store: DynamoDBRunStore | undefined;

/**
 * Lambda entry of the scheduled sweep (handler `index.handler` in the
 * `sweep-runs` bundle): marks `abandoned` the runs of the table
 * `BATON_TABLE_NAME` that no invocation will ever move again (`sweepRuns`),
 * and writes what it did as a JSON log line and an EMF metrics line
 * (namespace `BATON_METRICS_NAMESPACE`, default `Baton`). A failure throws:
 * the next scheduled sweep tries again.
 */
export async function handler(): Promise<SweepResult> {
  const tableName = process.env.BATON_TABLE_NAME;
  if (!tableName) {
    throw new Error(
      "BATON_TABLE_NAME is not set: set it on the sweep function to the name of Baton's DynamoDB table",
    );
  }
  if (store?.tableName !== tableName) {
    store = new DynamoDBRunStore({ tableName, client: new DynamoDBClient({}) });
  }
  const result = await sweepRuns(store);
  const lines = sweepReport(result, {
    namespace: process.env.BATON_METRICS_NAMESPACE ?? 'Baton',
    serviceName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'baton-sweep',
    timestamp: Date.now(),
  });
  for (const line of lines) process.stdout.write(`${line}\n`);
  return result;
}
