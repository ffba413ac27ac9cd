import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CommitRequest } from '../../engine/ports/run-store.js';
import type { StoredRecords } from './pending-history.js';
import { COMMIT_TOKEN_ATTRIBUTE, PENDING_ATTRIBUTE, RUN_SK, runPartitionKey } from './run-items.js';

/** The lease attributes a commit or a release clears (a claim leaves `leaseStep` for the next). */
export const LEASE_ATTRIBUTES = [
  'leaseOwner',
  'leaseUntil',
  'leaseRequestId',
  'leaseClaimedAt',
  'leaseStep',
];

/**
 * The commit as one conditional `UpdateItem` of the run item, only while
 * `owner` holds the lease on the claimed `jobSeq`. `pending` (the run's
 * pending history records, this invocation's last) is written in the same
 * write, so the record is committed exactly when the run is. The request's
 * `commitToken` is stored too: an `UpdateItem` has no client request token,
 * so a retry whose first attempt was applied recognises it by this mark
 * ({@link showsCommit}) in the item its failed condition returns.
 */
export function commitUpdate(
  tableName: string,
  request: CommitRequest,
  pending: StoredRecords,
): UpdateCommandInput {
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
    ':pending': pending,
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
    `${PENDING_ATTRIBUTE} = :pending`,
  ];
  const removes = [...LEASE_ATTRIBUTES];
  const left = request.unfinishedClaimsLeft ?? 0;
  if (left > 0) {
    // A commit that ran no step takes off only its own claim (crash accounting).
    sets.push('unfinishedClaims = :left', 'carriedClaims = :left');
    values[':left'] = left;
  } else removes.push('unfinishedClaims', 'unfinishedSince', 'carriedClaims');
  // The next job has its own reply window, set by its first claim.
  if (request.nextJobSeq !== request.jobSeq) removes.push('nextJobId', 'replyBy');
  const optional: Array<[string, unknown]> = [
    ['resumeAt', request.resumeAt],
    ['progress', request.progress],
    ['lastError', request.lastError],
    [COMMIT_TOKEN_ATTRIBUTE, request.commitToken],
    // The committer reports the outcome: a concurrent delivery leaves it the report.
    ['reportOwner', request.reporting && request.owner],
    ['reportRequestId', request.reporting?.requestId],
    ['reportUntil', request.reporting?.until],
  ];
  if (request.stateJson !== undefined) {
    sets.push('stateJson = :state');
    values[':state'] = request.stateJson;
  }
  if (request.jobVersion !== undefined) {
    sets.push('jobVersion = :jobVersion');
    values[':jobVersion'] = request.jobVersion;
  }
  for (const [name, value] of optional) {
    if (value === undefined) removes.push(name);
    else {
      sets.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    }
  }
  return {
    TableName: tableName,
    Key: { pk: runPartitionKey(request.runId), sk: RUN_SK },
    UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
    ConditionExpression: 'leaseOwner = :owner AND nextJobSeq = :jobSeq',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: values,
    // Tells a retry whose first attempt was applied (its answer lost) from a refusal.
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/**
 * Whether the run item as it is (unmarshalled, as stored) shows `request`'s
 * commit applied: it carries the request's `commitToken` (unique to one
 * invocation's commit) and the `nextJobSeq` it wrote, with no lease since.
 * A request without a token is never recognised: its retry counts as refused.
 */
export function showsCommit(item: Record<string, unknown>, request: CommitRequest): boolean {
  return (
    request.commitToken !== undefined &&
    item[COMMIT_TOKEN_ATTRIBUTE] === request.commitToken &&
    item.nextJobSeq === request.nextJobSeq &&
    item.leaseOwner === undefined
  );
}
