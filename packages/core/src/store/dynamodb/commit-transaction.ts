import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CommitRequest } from '../../engine/ports/run-store.js';
import { capHistory, historySortKey, RUN_SK, runPartitionKey } from './run-items.js';

/** The lease attributes a commit or a release clears. */
export const LEASE_ATTRIBUTES = ['leaseOwner', 'leaseUntil', 'leaseRequestId', 'leaseClaimedAt'];

/**
 * The commit as one `TransactWriteItems`: the run update, only while `owner`
 * holds the lease on the claimed `jobSeq`, and the invocation's history item.
 */
export function commitTransaction(
  tableName: string,
  request: CommitRequest,
): TransactWriteCommandInput {
  const pk = runPartitionKey(request.runId);
  const values: Record<string, unknown> = {
    ':owner': request.owner,
    ':jobSeq': request.jobSeq,
    ':status': request.status,
    ':step': request.step,
    ':next': request.nextJobSeq,
    ':attempt': request.attempt,
    ':visit': request.visit,
    ':outcome': request.outcome,
    ':recent': request.recentJobIds,
    ':now': request.now,
    ':one': 1,
    ':ttl': request.expiresAt,
  };
  const sets = [
    '#status = :status',
    'step = :step',
    'nextJobSeq = :next',
    'attempt = :attempt',
    'visit = :visit',
    'outcome = :outcome',
    'recentJobIds = :recent',
    'updatedAt = :now',
    'historyCount = historyCount + :one',
    'expiresAt = :ttl',
  ];
  const removes = [...LEASE_ATTRIBUTES, 'unfinishedClaims', 'unfinishedSince'];
  // The next job has its own reply window, set by its first claim.
  if (request.nextJobSeq !== request.jobSeq) removes.push('nextJobId', 'replyBy');
  const optional: Array<[string, unknown]> = [
    ['resumeAt', request.resumeAt],
    ['progress', request.progress],
    ['lastError', request.lastError],
  ];
  if (request.stateJson !== undefined) {
    sets.push('stateJson = :state');
    values[':state'] = request.stateJson;
  }
  for (const [name, value] of optional) {
    if (value === undefined) removes.push(name);
    else {
      sets.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    }
  }
  return {
    // The same token on every try of one commit: a retry of a commit that was
    // applied (its answer lost) succeeds without applying it twice.
    ...(request.commitToken === undefined ? {} : { ClientRequestToken: request.commitToken }),
    TransactItems: [
      {
        Update: {
          TableName: tableName,
          Key: { pk, sk: RUN_SK },
          UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
          ConditionExpression: 'leaseOwner = :owner AND nextJobSeq = :jobSeq',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: {
            pk,
            sk: historySortKey(request.jobSeq),
            ...capHistory(request.history),
            expiresAt: request.expiresAt,
          },
        },
      },
    ],
  };
}
