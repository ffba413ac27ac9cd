import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { StoreError } from '../errors.js';
import type {
  HistoryEntry,
  HistoryRecord,
  Outcome,
  Progress,
  RunRecord,
  RunStatus,
} from './run-record.js';

const RUN_SK = 'run';
const HISTORY_PREFIX = 'hist#';
/** Entries kept per history item; one invocation rarely runs more steps. */
export const MAX_HISTORY_ENTRIES = 100;

/** Partition key of a run's items. */
export function runPartitionKey(runId: string): string {
  return `run#${runId}`;
}

/** What a claim asks for. */
export interface ClaimRequest {
  runId: string;
  jobId: string;
  /** Sequence of the job (0 for the first job). */
  sequence: number;
  /** The token's nonce; absent for the first job. */
  nonce?: string;
  /** Random id of this invocation. */
  owner: string;
  /** Lambda request id of this invocation, when known. */
  requestId?: string;
  /** Epoch ms when the lease ends (the invocation's deadline). */
  leaseUntil: number;
  now: number;
  /** Fields of a new run (first job only). */
  create?: {
    jobName: string;
    firstStep: string;
    nonce: string;
    deadlineAt: number;
    expiresAt: number;
  };
  /** Take over from this lease owner (a Lambda retry of a dead invocation). */
  takeOverFrom?: string;
}

/** Result of a claim. */
export type ClaimResult =
  | { claimed: true; run: RunRecord }
  /** The condition failed; `current` is the run as it was (absent: no such run). */
  | { claimed: false; current: RunRecord | undefined };

/** What a commit writes. */
export interface CommitRequest {
  runId: string;
  owner: string;
  /** Sequence that was claimed. */
  sequence: number;
  status: RunStatus;
  step: string;
  /** The state; `undefined` leaves the stored state as it is (none yet: nothing ran). */
  stateJson?: string;
  /** Sequence of the job expected next. */
  nextSequence: number;
  attempt: number;
  visit: number;
  resumeAt?: number;
  progress?: Progress;
  outcome: Outcome;
  lastError?: string;
  /** Ids of the last jobs that committed, this one included (kept short by the caller). */
  recentJobIds: string[];
  now: number;
  history: HistoryRecord;
  expiresAt: number;
}

/** Options of {@link RunStore}. */
export interface RunStoreOptions {
  /** Table name (see `BATON_TABLE_NAME`). */
  tableName: string;
  /** A DynamoDB client; the store wraps it in a document client. */
  client: DynamoDBClient;
}

/**
 * Baton's persistence: one item per run (`sk = "run"`) and one history item per
 * committed invocation (`sk = "hist#<sequence>"`), all under `pk = "run#<runId>"`.
 * A claim and a commit are one request each.
 *
 * @example
 * ```ts
 * const store = new RunStore({ tableName: 'baton', client: new DynamoDBClient({}) });
 * const run = await store.getRun(runId);
 * ```
 */
export class RunStore {
  readonly tableName: string;
  readonly #doc: DynamoDBDocumentClient;

  public constructor(options: RunStoreOptions) {
    this.tableName = options.tableName;
    this.#doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }

  /**
   * Claims the run for one invocation: a single conditional `UpdateItem` that
   * returns the run. It succeeds only when the sequence is current, the
   * nonce matches and no live invocation holds the lease; on failure it
   * returns the run as it was (`ReturnValuesOnConditionCheckFailure`).
   *
   * @example
   * ```ts
   * const result = await store.claim({ runId, jobId, sequence: 0, owner, leaseUntil, now, create });
   * ```
   */
  public async claim(request: ClaimRequest): Promise<ClaimResult> {
    const names: Record<string, string> = { '#status': 'status', '#seq': 'sequence' };
    const values: Record<string, unknown> = {
      ':owner': request.owner,
      ':until': request.leaseUntil,
      ':jobId': request.jobId,
      ':now': request.now,
      ':seq': request.sequence,
      ':running': 'running',
    };
    const sets = [
      'leaseOwner = :owner',
      'leaseUntil = :until',
      'leaseClaimedAt = :now',
      'sequenceJobId = :jobId',
      'updatedAt = :now',
    ];
    if (request.requestId) {
      sets.push('leaseRequestId = :requestId');
      values[':requestId'] = request.requestId;
    }
    const leaseFree = request.takeOverFrom
      ? 'leaseOwner = :previousOwner'
      : '(attribute_not_exists(leaseOwner) OR leaseUntil < :now)';
    if (request.takeOverFrom) values[':previousOwner'] = request.takeOverFrom;
    const current =
      '#status = :running AND #seq = :seq AND ' +
      `(attribute_not_exists(sequenceJobId) OR sequenceJobId = :jobId) AND ${leaseFree}`;
    let condition: string;
    if (request.create) {
      const c = request.create;
      Object.assign(values, {
        ':runId': request.runId,
        ':jobName': c.jobName,
        ':firstStep': c.firstStep,
        ':nonce': c.nonce,
        ':deadline': c.deadlineAt,
        ':ttl': c.expiresAt,
        ':zero': 0,
        ':one': 1,
      });
      sets.push(
        'runId = if_not_exists(runId, :runId)',
        'jobName = if_not_exists(jobName, :jobName)',
        'firstJobId = if_not_exists(firstJobId, :jobId)',
        '#status = if_not_exists(#status, :running)',
        'step = if_not_exists(step, :firstStep)',
        '#seq = if_not_exists(#seq, :zero)',
        'nonce = if_not_exists(nonce, :nonce)',
        'attempt = if_not_exists(attempt, :one)',
        'visit = if_not_exists(visit, :one)',
        'createdAt = if_not_exists(createdAt, :now)',
        'deadlineAt = if_not_exists(deadlineAt, :deadline)',
        'historyCount = if_not_exists(historyCount, :zero)',
        'expiresAt = if_not_exists(expiresAt, :ttl)',
      );
      condition = `attribute_not_exists(pk) OR (${current})`;
    } else {
      values[':nonce'] = request.nonce;
      condition = `attribute_exists(pk) AND nonce = :nonce AND ${current}`;
    }
    try {
      const out = await this.#doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: runPartitionKey(request.runId), sk: RUN_SK },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true, run: toRunRecord(out.Attributes) };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        const item = err.Item ? unmarshall(err.Item) : undefined;
        return { claimed: false, current: item ? toRunRecord(item) : undefined };
      }
      throw storeError(`claim of run ${request.runId}`, this.tableName, err);
    }
  }

  /**
   * Commits an invocation's work and the outcome to report: one
   * `TransactWriteItems` that updates the run (only while this invocation
   * holds the lease on the claimed sequence) and adds its history item.
   *
   * @returns `false` when the lease was lost (another invocation took over).
   * @example
   * ```ts
   * if (!(await store.commit(request))) logger.warn('lease lost; not reporting');
   * ```
   */
  public async commit(request: CommitRequest): Promise<boolean> {
    const pk = runPartitionKey(request.runId);
    const values: Record<string, unknown> = {
      ':owner': request.owner,
      ':seq': request.sequence,
      ':status': request.status,
      ':step': request.step,
      ':next': request.nextSequence,
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
      '#seq = :next',
      'attempt = :attempt',
      'visit = :visit',
      'outcome = :outcome',
      'recentJobIds = :recent',
      'updatedAt = :now',
      'historyCount = historyCount + :one',
      'expiresAt = :ttl',
    ];
    const removes = ['leaseOwner', 'leaseUntil', 'leaseRequestId', 'leaseClaimedAt'];
    if (request.nextSequence !== request.sequence) removes.push('sequenceJobId');
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
    const history = capHistory(request.history);
    try {
      await this.#doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: { pk, sk: RUN_SK },
                UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removes.join(', ')}`,
                ConditionExpression: 'leaseOwner = :owner AND #seq = :seq',
                ExpressionAttributeNames: { '#status': 'status', '#seq': 'sequence' },
                ExpressionAttributeValues: values,
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  pk,
                  sk: historySortKey(request.sequence),
                  ...history,
                  expiresAt: request.expiresAt,
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw storeError(`commit of run ${request.runId}`, this.tableName, err);
    }
  }

  /**
   * Renews the lease this invocation holds (its `leaseClaimedAt`), so a
   * delivery with the same request id does not take a live lease for dead.
   *
   * @returns `false` when the lease is no longer this invocation's.
   * @example
   * ```ts
   * if (!(await store.renewLease(runId, owner, Date.now()))) return; // taken over
   * ```
   */
  public async renewLease(runId: string, owner: string, now: number): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: runPartitionKey(runId), sk: RUN_SK },
          UpdateExpression: 'SET leaseClaimedAt = :now',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner, ':now': now },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw storeError(`lease renewal of run ${runId}`, this.tableName, err);
    }
  }

  /**
   * Releases a lease this invocation holds, so a retry need not wait for it to
   * expire. Best effort: a lease already gone is fine.
   *
   * @example
   * ```ts
   * await store.releaseLease(runId, owner, { lastError: 'commit failed' });
   * ```
   */
  public async releaseLease(
    runId: string,
    owner: string,
    extra: { lastError?: string } = {},
  ): Promise<void> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: runPartitionKey(runId), sk: RUN_SK },
          UpdateExpression:
            extra.lastError === undefined
              ? 'REMOVE leaseOwner, leaseUntil, leaseRequestId, leaseClaimedAt'
              : 'SET lastError = :err REMOVE leaseOwner, leaseUntil, leaseRequestId, leaseClaimedAt',
          ConditionExpression: 'leaseOwner = :owner',
          ExpressionAttributeValues: {
            ':owner': owner,
            ...(extra.lastError === undefined ? {} : { ':err': extra.lastError }),
          },
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return;
      throw storeError(`lease release of run ${runId}`, this.tableName, err);
    }
  }

  /**
   * Reads a run and its history with one query.
   *
   * @example
   * ```ts
   * const found = await store.getRun(runId);
   * found?.history.flatMap((h) => h.entries);
   * ```
   */
  public async getRun(
    runId: string,
  ): Promise<{ run: RunRecord; history: HistoryRecord[] } | undefined> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.#doc.send(
        new QueryCommand({
          TableName: this.tableName,
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
    const history = items
      .filter((item) => typeof item.sk === 'string' && item.sk.startsWith(HISTORY_PREFIX))
      .map((item) => toHistoryRecord(item));
    return { run: toRunRecord(runItem), history };
  }

  /**
   * Lists runs (a scan of the run items; for operators, not for hot paths).
   *
   * @example
   * ```ts
   * for await (const run of store.listRuns()) console.log(run.runId, run.status);
   * ```
   */
  public async *listRuns(options: { limit?: number } = {}): AsyncGenerator<RunRecord> {
    let startKey: Record<string, unknown> | undefined;
    let yielded = 0;
    do {
      const out = await this.#doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'sk = :run',
          ExpressionAttributeValues: { ':run': RUN_SK },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) {
        yield toRunRecord(item);
        yielded += 1;
        if (options.limit !== undefined && yielded >= options.limit) return;
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
}

function historySortKey(sequence: number): string {
  return `${HISTORY_PREFIX}${String(sequence).padStart(10, '0')}`;
}

function capHistory(history: HistoryRecord): HistoryRecord {
  if (history.entries.length <= MAX_HISTORY_ENTRIES) return history;
  const keep: HistoryEntry[] = [
    ...history.entries.slice(0, MAX_HISTORY_ENTRIES / 2),
    ...history.entries.slice(-MAX_HISTORY_ENTRIES / 2),
  ];
  return {
    ...history,
    entries: keep,
    droppedEntries: history.entries.length - keep.length + (history.droppedEntries ?? 0),
  };
}

function toRunRecord(item: Record<string, unknown> | undefined): RunRecord {
  if (!item) throw new StoreError('DynamoDB returned no run item');
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as RunRecord;
}

function toHistoryRecord(item: Record<string, unknown>): HistoryRecord {
  const { pk: _pk, sk: _sk, expiresAt: _ttl, ...rest } = item;
  return rest as unknown as HistoryRecord;
}

function isConditionFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'ConditionalCheckFailedException') return true;
  if (err.name !== 'TransactionCanceledException') return false;
  const reasons = (err as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
  return reasons?.some((r) => r.Code === 'ConditionalCheckFailed') ?? false;
}

function storeError(what: string, tableName: string, err: unknown): StoreError {
  const name = err instanceof Error ? err.name : 'Error';
  const message = err instanceof Error ? err.message : String(err);
  const hint =
    name === 'ResourceNotFoundException'
      ? ` (does table '${tableName}' exist in this region? see BATON_TABLE_NAME)`
      : '';
  return new StoreError(`${what} failed: ${name}: ${message}${hint}`, { cause: err });
}
