import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { LEASE_ATTRIBUTES } from './commit-update.js';
import { RUN_SK, runPartitionKey } from './run-items.js';

/** Sets `leaseClaimedAt` to `now`, only while `owner` holds the lease. */
export function renewUpdate(
  tableName: string,
  runId: string,
  owner: string,
  now: number,
): UpdateCommandInput {
  return {
    TableName: tableName,
    Key: { pk: runPartitionKey(runId), sk: RUN_SK },
    UpdateExpression: 'SET leaseClaimedAt = :now',
    ConditionExpression: 'leaseOwner = :owner',
    ExpressionAttributeValues: { ':owner': owner, ':now': now },
  };
}

/** Clears the lease (and sets `lastError` when given), only while `owner` holds it. */
export function releaseUpdate(
  tableName: string,
  runId: string,
  owner: string,
  lastError: string | undefined,
): UpdateCommandInput {
  const remove = `REMOVE ${LEASE_ATTRIBUTES.join(', ')}`;
  return {
    TableName: tableName,
    Key: { pk: runPartitionKey(runId), sk: RUN_SK },
    UpdateExpression: lastError === undefined ? remove : `SET lastError = :err ${remove}`,
    ConditionExpression: 'leaseOwner = :owner',
    ExpressionAttributeValues: {
      ':owner': owner,
      ...(lastError === undefined ? {} : { ':err': lastError }),
    },
  };
}
