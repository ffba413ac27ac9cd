import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type CommitRequest, DynamoDBRunStore } from '@baton/core';

/** History records kept in the run item: a ring buffer of the last invocations. */
export const HISTORY_SLOTS = 16;

/**
 * A bench-only prototype of a cheaper commit: one conditional `UpdateItem` on
 * the run item instead of `TransactWriteItems` (run update + history put).
 * The invocation's history record goes into slot `h<jobSeq % 16>` of the run
 * item, so history stays capped without a second item. Claims are Baton's own.
 * It exists to measure what the change would save; core owns the real store.
 */
export class SingleWriteRunStore extends DynamoDBRunStore {
  readonly #doc: DynamoDBDocumentClient;

  public constructor(options: { tableName: string; client: DynamoDBClient }) {
    super(options);
    this.#doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }

  public override async commit(request: CommitRequest): Promise<boolean> {
    // The same fields and condition as DynamoDBRunStore.commit, plus the history slot.
    const slot = `h${request.jobSeq % HISTORY_SLOTS}`;
    const values: Record<string, unknown> = {
      ':owner': request.owner,
      ':jobSeq': request.jobSeq,
      ':status': request.status,
      ':step': request.step,
      ':state': request.stateJson,
      ':next': request.nextJobSeq,
      ':attempt': request.attempt,
      ':visit': request.visit,
      ':outcome': request.outcome,
      ':now': request.now,
      ':one': 1,
      ':ttl': request.expiresAt,
      ':history': request.history,
    };
    const sets = [
      '#status = :status',
      'step = :step',
      'stateJson = :state',
      'nextJobSeq = :next',
      'attempt = :attempt',
      'visit = :visit',
      'outcome = :outcome',
      'updatedAt = :now',
      'historyCount = historyCount + :one',
      'expiresAt = :ttl',
      `${slot} = :history`,
    ];
    const removes = ['leaseOwner', 'leaseUntil', 'leaseRequestId'];
    if (request.nextJobSeq !== request.jobSeq) removes.push('nextJobId');
    const optional: Array<[string, unknown]> = [
      ['resumeAt', request.resumeAt],
      ['progress', request.progress],
      ['lastError', request.lastError],
    ];
    for (const [name, value] of optional) {
      if (value === undefined) removes.push(name);
      else {
        sets.push(`${name} = :${name}`);
        values[`:${name}`] = value;
      }
    }
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `run#${request.runId}`, sk: 'run' },
          UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
          ConditionExpression: 'leaseOwner = :owner AND nextJobSeq = :jobSeq',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof Error && err.name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }
}
