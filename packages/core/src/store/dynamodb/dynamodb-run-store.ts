import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type {
  AbandonRequest,
  ClaimRequest,
  ClaimResult,
  CommitRequest,
  ListRunsOptions,
  RunStore,
  StoredRun,
} from '../../engine/ports/run-store.js';
import type { RunRecord } from '../run-record.js';
import { claimUpdate } from './claim-update.js';
import { commitUpdate, showsCommit } from './commit-update.js';
import { HistoryFlusher } from './history-flusher.js';
import { releaseUpdate, renewUpdate } from './lease-updates.js';
import { peekUpdate } from './peek-update.js';
import { appendRecord, mergeHistory, parseRecords, pendingOf } from './pending-history.js';
import { listRunsNewestFirst, type RunListingOptions } from './run-index-listing.js';
import {
  isHistoryItem,
  RUN_SK,
  runPartitionKey,
  storeError,
  toRunRecord,
  toSingleHistoryRecord,
} from './run-items.js';
import { type ProjectedRun, type RunFieldPath, scanRuns } from './run-projection.js';
import { runsWithStatus } from './runs-with-status.js';

/** Options of {@link DynamoDBRunStore}. */
export interface DynamoDBRunStoreOptions {
  /** Table name (see `BATON_TABLE_NAME`). */
  tableName: string;
  /** A DynamoDB client; the store wraps it in a document client. */
  client: DynamoDBClient;
}

/**
 * The {@link RunStore} on DynamoDB: one item per run (`sk = "run"`) and its
 * history items (`sk = "hist#<jobSeq>"`), all under `pk = "run#<runId>"`. A
 * claim and a commit are one `UpdateItem` each. The commit writes the
 * invocation's history record into the run item; every few invocations, a
 * claim moves those records into one history item while the steps run
 * (`history-flusher.ts`), so the run item stays small and no record is ever
 * only in flight.
 *
 * @example
 * ```ts
 * const store = new DynamoDBRunStore({ tableName: 'baton', client: new DynamoDBClient({}) });
 * const found = await store.getRun(runId);
 * ```
 */
export class DynamoDBRunStore implements RunStore {
  readonly tableName: string;
  readonly #doc: DynamoDBDocumentClient;
  readonly #flusher: HistoryFlusher;

  public constructor(options: DynamoDBRunStoreOptions) {
    this.tableName = options.tableName;
    this.#doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    this.#flusher = new HistoryFlusher(this.tableName, (input) =>
      this.#doc.send(new PutCommand(input)),
    );
  }

  /**
   * A single conditional `UpdateItem` (the claim rule as its condition) that
   * returns the run; on refusal, the run as it was
   * (`ReturnValuesOnConditionCheckFailure`). A claimed run with enough
   * pending history records starts their flush, which the commit awaits.
   *
   * @example
   * ```ts
   * const result = await store.claim({ runId, jobId, jobSeq: 0, owner, leaseUntil, now, create });
   * ```
   */
  public async claim(request: ClaimRequest): Promise<ClaimResult> {
    try {
      const out = await this.#doc.send(new UpdateCommand(claimUpdate(this.tableName, request)));
      const item = out.Attributes;
      if (item) this.#flusher.claimed(request.owner, item, request.now);
      return { claimed: true, run: toRunRecord(item) };
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        const item = err.Item ? unmarshall(err.Item) : undefined;
        // This claim applied, its answer lost (the engine goes on with it): its commit needs the pending records.
        if (item?.leaseOwner === request.owner)
          this.#flusher.claimed(request.owner, item, request.now);
        return { claimed: false, current: item ? toRunRecord(item) : undefined };
      }
      throw storeError(`claim of run ${request.runId}`, this.tableName, err);
    }
  }

  /**
   * One conditional `UpdateItem` of the run item (on the lease and the
   * claimed `jobSeq`) that also adds the invocation's history record to its
   * pending records; when the claim flushed them, after that flush succeeded,
   * in their place. A try refused because an earlier try of the same
   * request (same `commitToken`) was applied, its answer lost, counts as
   * committed: the item the failed condition returns carries that token.
   *
   * @example
   * ```ts
   * if (!(await store.commit(request))) logger.warn('lease lost; not reporting');
   * ```
   */
  public async commit(request: CommitRequest): Promise<boolean> {
    try {
      const pending =
        (await this.#flusher.pendingAfter(request.owner, request.history)) ??
        appendRecord(await this.#pendingOf(request), request.history);
      await this.#doc.send(new UpdateCommand(commitUpdate(this.tableName, request, pending)));
      this.#flusher.forget(request.owner);
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        this.#flusher.forget(request.owner);
        return err.Item !== undefined && showsCommit(unmarshall(err.Item), request);
      }
      throw storeError(`commit of run ${request.runId}`, this.tableName, err);
    }
  }

  /**
   * The run item's pending history records, for a commit whose claim this
   * store did not see: read by renewing the lease (an `UpdateItem` that
   * returns the run; the function's IAM policy allows no read). A lease that
   * is gone fails the condition: the commit is refused.
   */
  async #pendingOf(request: CommitRequest): Promise<string | undefined> {
    const out = await this.#doc.send(
      new UpdateCommand({
        ...renewUpdate(this.tableName, request.runId, request.owner, request.now),
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return pendingOf(out.Attributes);
  }

  /**
   * Renews the lease this invocation holds (its `leaseClaimedAt`), so a
   * delivery with the same request id does not take a live lease for dead.
   *
   * @example
   * ```ts
   * if (!(await store.renewLease(runId, owner, Date.now()))) return; // taken over
   * ```
   */
  public async renewLease(runId: string, owner: string, now: number): Promise<boolean> {
    try {
      await this.#doc.send(new UpdateCommand(renewUpdate(this.tableName, runId, owner, now)));
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
    this.#flusher.forget(owner);
    try {
      await this.#doc.send(
        new UpdateCommand(releaseUpdate(this.tableName, runId, owner, extra.lastError)),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return;
      throw storeError(`lease release of run ${runId}`, this.tableName, err);
    }
  }

  /**
   * One conditional `UpdateItem`: sets `status = abandoned` with reason,
   * detail and time while the run is as the decision saw it.
   *
   * @example
   * ```ts
   * await store.abandon({ runId, reason: 'no-reply', detail, now: Date.now(), ifUpdatedAt: run.updatedAt });
   * ```
   */
  public async abandon(request: AbandonRequest): Promise<boolean> {
    try {
      await this.#doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: runPartitionKey(request.runId), sk: RUN_SK },
          UpdateExpression:
            'SET #status = :abandoned, abandonedAt = :now, abandonReason = :reason, abandonDetail = :detail',
          ConditionExpression:
            'updatedAt = :seen AND #status <> :abandoned AND ' +
            '(attribute_not_exists(leaseOwner) OR leaseUntil < :now)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':abandoned': 'abandoned',
            ':now': request.now,
            ':reason': request.reason,
            ':detail': request.detail,
            ':seen': request.ifUpdatedAt,
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw storeError(`abandoning run ${request.runId}`, this.tableName, err);
    }
  }

  /**
   * Reads the run item with one conditional `UpdateItem` whose condition
   * never holds: the refusal returns the item as it is
   * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`) and writes nothing. The
   * function's policy grants `UpdateItem` (the claim) but neither `GetItem`
   * nor `Query`, and a refused condition creates no item.
   *
   * @example
   * ```ts
   * const run = await store.peekRun(runId);
   * if (run?.outcome) resend(run.outcome);
   * ```
   */
  public async peekRun(runId: string): Promise<RunRecord | undefined> {
    try {
      await this.#doc.send(new UpdateCommand(peekUpdate(this.tableName, runId)));
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        return err.Item ? toRunRecord(unmarshall(err.Item)) : undefined;
      }
      throw storeError(`read of run ${runId}`, this.tableName, err);
    }
    // The condition cannot hold; an update that applied anyway is a broken store.
    throw storeError(
      `read of run ${runId}`,
      this.tableName,
      new Error('the never-true condition held'),
    );
  }

  /**
   * Reads a run and its history with one query: the history items' records
   * and the run item's pending ones.
   *
   * @example
   * ```ts
   * const found = await store.getRun(runId);
   * found?.history.flatMap((h) => h.entries);
   * ```
   */
  public async getRun(runId: string): Promise<StoredRun | undefined> {
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

  /**
   * Lists runs: with `status`, the runs stored with it, from the
   * `runs-by-status` index (a `Query`, then `BatchGetItem` of the run items);
   * without, a scan of the run items. For operators and the sweep, not for
   * hot paths.
   *
   * @throws {RunListIndexMissingError} with `status`, when the table has no such index
   * @example
   * ```ts
   * for await (const run of store.listRuns({ status: 'running' })) console.log(run.runId, run.updatedAt);
   * ```
   */
  public async *listRuns(options: ListRunsOptions = {}): AsyncGenerator<RunRecord> {
    if (options.status !== undefined) {
      yield* runsWithStatus(this.#doc, this.tableName, options.status, {
        ...(options.limit === undefined ? {} : { limit: options.limit }),
      });
      return;
    }
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

  /**
   * Runs newest first (by creation), from the table's `runs-by-status`
   * index, reading only `fields` of each run item. Reads page by page and
   * stops when the caller stops iterating; for operators (`baton runs list`).
   *
   * @throws {RunListIndexMissingError} when the table has no such index
   * @example
   * ```ts
   * for await (const run of store.listRunsNewestFirst({ fields: ['status', 'step'], statuses: ['running'] })) {
   *   console.log(run.runId, run.status, run.step);
   * }
   * ```
   */
  public listRunsNewestFirst(options: RunListingOptions): AsyncGenerator<ProjectedRun> {
    return listRunsNewestFirst(this.#doc, this.tableName, options);
  }

  /**
   * At most `maxRuns` runs in table order, reading only `fields` of each:
   * what a table without the `runs-by-status` index can offer.
   *
   * @example
   * ```ts
   * for await (const run of store.scanRuns({ fields: ['status'], maxRuns: 1000 })) count(run);
   * ```
   */
  public scanRuns(options: {
    fields: readonly RunFieldPath[];
    maxRuns: number;
  }): AsyncGenerator<ProjectedRun> {
    return scanRuns(this.#doc, this.tableName, options);
  }
}
