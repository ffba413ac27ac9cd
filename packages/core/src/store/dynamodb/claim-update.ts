import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { ClaimClause, claimClauses } from '../../engine/claim/claim-rule.js';
import type { ClaimRequest } from '../../engine/ports/run-store.js';
import { RUN_SK, runPartitionKey } from './run-items.js';

/**
 * Each clause of the claim rule as a DynamoDB condition. A `Record` over the
 * clauses: a clause added to the rule does not compile until it is here.
 */
const CLAUSE_CONDITIONS: Record<ClaimClause, (request: ClaimRequest) => string> = {
  [ClaimClause.RunExists]: () => 'attribute_exists(pk)',
  [ClaimClause.NonceMatches]: () => 'nonce = :nonce',
  [ClaimClause.Running]: () => '#status = :running',
  [ClaimClause.SeqCurrent]: () => 'nextJobSeq = :jobSeq',
  [ClaimClause.SeqFree]: () => '(attribute_not_exists(nextJobId) OR nextJobId = :jobId)',
  [ClaimClause.LeaseFree]: (request) =>
    request.takeOverFrom
      ? 'leaseOwner = :previousOwner'
      : '(attribute_not_exists(leaseOwner) OR leaseUntil < :now)',
};

/** The claim's condition: the rule's clauses; a first job's also holds on no item at all. */
export function claimCondition(request: ClaimRequest): string {
  const clauses = claimClauses(request).map((clause) => CLAUSE_CONDITIONS[clause](request));
  return request.create
    ? `attribute_not_exists(pk) OR (${clauses.join(' AND ')})`
    : clauses.join(' AND ');
}

/**
 * The claim as one conditional `UpdateItem`: takes the lease (and creates the
 * run on a first job), returns the run as it is after (`ALL_NEW`) or, when the
 * condition fails, as it was (`ALL_OLD`).
 */
export function claimUpdate(tableName: string, request: ClaimRequest): UpdateCommandInput {
  const values: Record<string, unknown> = {
    ':owner': request.owner,
    ':until': request.leaseUntil,
    ':jobId': request.jobId,
    ':now': request.now,
    ':jobSeq': request.jobSeq,
    ':running': 'running',
    ':zero': 0,
    ':one': 1,
  };
  const sets = [
    // Crash accounting: a commit clears these; claims that never reach one add up.
    'unfinishedClaims = if_not_exists(unfinishedClaims, :zero) + :one',
    'unfinishedSince = if_not_exists(unfinishedSince, :now)',
    'leaseOwner = :owner',
    'leaseUntil = :until',
    'leaseClaimedAt = :now',
    'nextJobId = :jobId',
    'updatedAt = :now',
  ];
  if (request.requestId) {
    sets.push('leaseRequestId = :requestId');
    values[':requestId'] = request.requestId;
  }
  if (request.takeOverFrom) values[':previousOwner'] = request.takeOverFrom;
  if (request.replyBy !== undefined) {
    // The job's first claim starts its reply window; later claims keep it.
    sets.push('replyBy = if_not_exists(replyBy, :replyBy)');
    values[':replyBy'] = request.replyBy;
  }
  if (request.create) {
    const c = request.create;
    Object.assign(values, {
      ':runId': request.runId,
      ':jobName': c.jobName,
      ':firstStep': c.firstStep,
      ':nonce': c.nonce,
      ':deadline': c.deadlineAt,
      ':ttl': c.expiresAt,
    });
    sets.push(
      'runId = if_not_exists(runId, :runId)',
      'jobName = if_not_exists(jobName, :jobName)',
      'firstJobId = if_not_exists(firstJobId, :jobId)',
      '#status = if_not_exists(#status, :running)',
      'step = if_not_exists(step, :firstStep)',
      'nextJobSeq = if_not_exists(nextJobSeq, :zero)',
      'nonce = if_not_exists(nonce, :nonce)',
      'attempt = if_not_exists(attempt, :one)',
      'visit = if_not_exists(visit, :one)',
      'createdAt = if_not_exists(createdAt, :now)',
      'deadlineAt = if_not_exists(deadlineAt, :deadline)',
      'historyCount = if_not_exists(historyCount, :zero)',
      'expiresAt = if_not_exists(expiresAt, :ttl)',
    );
    if (c.jobVersion !== undefined) {
      sets.push('jobVersion = if_not_exists(jobVersion, :jobVersion)');
      values[':jobVersion'] = c.jobVersion;
    }
    if (c.traceParent !== undefined) {
      sets.push('traceParent = if_not_exists(traceParent, :traceParent)');
      values[':traceParent'] = c.traceParent;
    }
  } else {
    values[':nonce'] = request.nonce;
  }
  return {
    TableName: tableName,
    Key: { pk: runPartitionKey(request.runId), sk: RUN_SK },
    UpdateExpression: `SET ${sets.join(', ')}`,
    ConditionExpression: claimCondition(request),
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: values,
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}
