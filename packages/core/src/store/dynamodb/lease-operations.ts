import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AbandonRequest, ReportTakeOver } from '../../engine/ports/run-store.js';
import type { RunningStep } from '../run-record.js';
import { releaseUpdate, renewUpdate, reportTakeOverUpdate } from './lease-updates.js';
import { RUN_SK, runPartitionKey, storeError } from './run-items.js';
import type { StoreContext } from './store-context.js';

/** See `DynamoDBRunStore.renewLease`. */
export async function renewLease(
  store: StoreContext,
  runId: string,
  owner: string,
  now: number,
  running?: RunningStep,
): Promise<boolean> {
  try {
    const update = renewUpdate(store.tableName, runId, owner, now, running);
    await store.doc.send(new UpdateCommand(update));
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw storeError(`lease renewal of run ${runId}`, store.tableName, err);
  }
}

/** See `DynamoDBRunStore.releaseLease`. */
export async function releaseLease(
  store: StoreContext,
  runId: string,
  owner: string,
  lastError: string | undefined,
): Promise<void> {
  try {
    await store.doc.send(
      new UpdateCommand(releaseUpdate(store.tableName, runId, owner, lastError)),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return;
    throw storeError(`lease release of run ${runId}`, store.tableName, err);
  }
}

/** See `DynamoDBRunStore.takeOverReport`. */
export async function takeOverReport(
  store: StoreContext,
  request: ReportTakeOver,
): Promise<boolean> {
  try {
    await store.doc.send(new UpdateCommand(reportTakeOverUpdate(store.tableName, request)));
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw storeError(`report take-over of run ${request.runId}`, store.tableName, err);
  }
}

/** See `DynamoDBRunStore.abandon`. */
export async function abandonRun(store: StoreContext, request: AbandonRequest): Promise<boolean> {
  try {
    await store.doc.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: { pk: runPartitionKey(request.runId), sk: RUN_SK },
        UpdateExpression:
          'SET #status = :abandoned, abandonedAt = :now, abandonReason = :reason, abandonDetail = :detail',
        ConditionExpression:
          'updatedAt = :seen AND #status <> :abandoned AND ' +
          '(attribute_not_exists(leaseOwner) OR leaseUntil < :now)' +
          (request.ifReportOwner === undefined ? '' : ' AND reportOwner = :reporter'),
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':abandoned': 'abandoned',
          ':now': request.now,
          ':reason': request.reason,
          ':detail': request.detail,
          ':seen': request.ifUpdatedAt,
          ...(request.ifReportOwner === undefined ? {} : { ':reporter': request.ifReportOwner }),
        },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw storeError(`abandoning run ${request.runId}`, store.tableName, err);
  }
}
