import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type CommitRequest, DynamoDBRunStore, MAX_HISTORY_ENTRIES } from '@baton/core';

/**
 * Baton's previous commit, kept in the bench to measure the current one
 * beside it: one `TransactWriteItems` that updates the run item (on the same
 * condition) and puts the invocation's history item (`hist#<jobSeq>`, the
 * record's fields as attributes), with the commit's token as its
 * `ClientRequestToken`. Claims are the current store's; runs it
 * commits never have history records pending in the run item, so no claim of
 * them flushes.
 */
export class TransactCommitRunStore extends DynamoDBRunStore {
  readonly #doc: DynamoDBDocumentClient;

  public constructor(options: { tableName: string; client: DynamoDBClient }) {
    super(options);
    this.#doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }

  public override async commit(request: CommitRequest): Promise<boolean> {
    const pk = `run#${request.runId}`;
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
    const removes = [
      'leaseOwner',
      'leaseUntil',
      'leaseRequestId',
      'leaseClaimedAt',
      'unfinishedClaims',
      'unfinishedSince',
    ];
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
    const history = request.history;
    const entries =
      history.entries.length <= MAX_HISTORY_ENTRIES
        ? history.entries
        : [
            ...history.entries.slice(0, MAX_HISTORY_ENTRIES / 2),
            ...history.entries.slice(-MAX_HISTORY_ENTRIES / 2),
          ];
    try {
      await this.#doc.send(
        new TransactWriteCommand({
          ...(request.commitToken === undefined ? {} : { ClientRequestToken: request.commitToken }),
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: { pk, sk: 'run' },
                UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
                ConditionExpression: 'leaseOwner = :owner AND nextJobSeq = :jobSeq',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: values,
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk,
                  sk: `hist#${String(request.jobSeq).padStart(10, '0')}`,
                  ...history,
                  entries,
                  expiresAt: request.expiresAt,
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof Error && err.name === 'TransactionCanceledException') return false;
      throw err;
    }
  }
}
