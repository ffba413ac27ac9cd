import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { StoredRun } from '../../engine/ports/run-store.js';
import type { RunRecord } from '../run-record.js';
import { peekUpdate } from './peek-update.js';
import { mergeHistory, parseRecords, pendingOf } from './pending-history.js';
import {
  isHistoryItem,
  RUN_SK,
  runPartitionKey,
  storeError,
  toRunRecord,
  toSingleHistoryRecord,
} from './run-items.js';
import type { StoreContext } from './store-context.js';

/** See `DynamoDBRunStore.peekRun`. */
export async function peekRun(store: StoreContext, runId: string): Promise<RunRecord | undefined> {
  try {
    await store.doc.send(new UpdateCommand(peekUpdate(store.tableName, runId)));
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) {
      return err.Item ? toRunRecord(unmarshall(err.Item)) : undefined;
    }
    throw storeError(`read of run ${runId}`, store.tableName, err);
  }
  // The condition cannot hold; an update that applied anyway is a broken store.
  throw storeError(
    `read of run ${runId}`,
    store.tableName,
    new Error('the never-true condition held'),
  );
}

/** See `DynamoDBRunStore.getRun`. */
export async function getRun(store: StoreContext, runId: string): Promise<StoredRun | undefined> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await store.doc.send(
      new QueryCommand({
        TableName: store.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': runPartitionKey(runId) },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  const runItem = items.find((item) => item.sk === RUN_SK);
  if (!runItem) return undefined;
  const flushed = items
    .filter(isHistoryItem)
    .flatMap((item) =>
      typeof item.records === 'string'
        ? parseRecords(item.records, runId)
        : [toSingleHistoryRecord(item)],
    );
  const pending = parseRecords(pendingOf(runItem), runId);
  return { run: toRunRecord(runItem), history: mergeHistory(flushed, pending) };
}

/** Every run item, in table order (a `Scan`), at most `limit` of them. */
export async function* scanRunItems(
  store: StoreContext,
  limit: number | undefined,
): AsyncGenerator<RunRecord> {
  let startKey: Record<string, unknown> | undefined;
  let yielded = 0;
  do {
    const out = await store.doc.send(
      new ScanCommand({
        TableName: store.tableName,
        FilterExpression: 'sk = :run',
        ExpressionAttributeValues: { ':run': RUN_SK },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) {
      yield toRunRecord(item);
      yielded += 1;
      if (limit !== undefined && yielded >= limit) return;
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
}
