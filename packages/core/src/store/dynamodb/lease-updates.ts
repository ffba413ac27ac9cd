import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ReportTakeOver } from '../../engine/ports/run-store.js';
import type { RunningStep } from '../run-record.js';
import { LEASE_ATTRIBUTES } from './commit-update.js';
import { RUN_SK, runPartitionKey } from './run-items.js';

/** Sets `leaseClaimedAt` to `now` (and `leaseStep`), only while `owner` holds the lease. */
export function renewUpdate(
  tableName: string,
  runId: string,
  owner: string,
  now: number,
  running?: RunningStep,
): UpdateCommandInput {
  return {
    TableName: tableName,
    Key: { pk: runPartitionKey(runId), sk: RUN_SK },
    UpdateExpression:
      running === undefined
        ? 'SET leaseClaimedAt = :now'
        : 'SET leaseClaimedAt = :now, leaseStep = :running',
    ConditionExpression: 'leaseOwner = :owner',
    ExpressionAttributeValues: {
      ':owner': owner,
      ':now': now,
      ...(running === undefined ? {} : { ':running': running }),
    },
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

/**
 * Makes `request.owner` the reporter of the committed outcome, only while the
 * reporter is still `request.from` (a dead attempt of the same Lambda request).
 */
export function reportTakeOverUpdate(
  tableName: string,
  request: ReportTakeOver,
): UpdateCommandInput {
  return {
    TableName: tableName,
    Key: { pk: runPartitionKey(request.runId), sk: RUN_SK },
    UpdateExpression:
      request.requestId === undefined
        ? 'SET reportOwner = :owner, reportUntil = :until REMOVE reportRequestId'
        : 'SET reportOwner = :owner, reportUntil = :until, reportRequestId = :requestId',
    ConditionExpression: 'reportOwner = :from',
    ExpressionAttributeValues: {
      ':owner': request.owner,
      ':until': request.until,
      ':from': request.from,
      ...(request.requestId === undefined ? {} : { ':requestId': request.requestId }),
    },
  };
}
