import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type {
  AbandonRequest,
  ClaimRequest,
  ClaimResult,
  CommitRequest,
  ListRunsOptions,
  ReportTakeOver,
  RunStore,
  StoredRun,
} from '../../engine/ports/run-store.js';
import type { RunningStep, RunRecord } from '../run-record.js';
import { claimRun, commitRun, type WritePath } from './claim-and-commit.js';
import { HistoryFlusher } from './history-flusher.js';
import { abandonRun, releaseLease, renewLease, takeOverReport } from './lease-operations.js';
import { listRunsNewestFirst, type RunListingOptions } from './run-index-listing.js';
import { type ProjectedRun, type RunFieldPath, scanRuns } from './run-projection.js';
import { getRun, peekRun, scanRunItems } from './run-reads.js';
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
  /** The claim and the commit (`claim-and-commit.ts`) share the history flusher. */
  readonly #writes: WritePath;

  public constructor(options: DynamoDBRunStoreOptions) {
    this.tableName = options.tableName;
    this.#doc = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    const doc = this.#doc;
    this.#writes = {
      doc,
      tableName: this.tableName,
      flusher: new HistoryFlusher(this.tableName, (input) => doc.send(new PutCommand(input))),
    };
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
    return claimRun(this.#writes, request);
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
    return commitRun(this.#writes, request);
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
  public async renewLease(
    runId: string,
    owner: string,
    now: number,
    running?: RunningStep,
  ): Promise<boolean> {
    return renewLease(this.#writes, runId, owner, now, running);
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
    this.#writes.flusher.forget(owner);
    return releaseLease(this.#writes, runId, owner, extra.lastError);
  }

  /**
   * Makes this invocation the reporter of the committed outcome in place of a
   * dead attempt of its Lambda request: one conditional `UpdateItem`.
   *
   * @example
   * ```ts
   * await store.takeOverReport({ runId, from: run.reportOwner, owner, requestId, until: deadline });
   * ```
   */
  public async takeOverReport(request: ReportTakeOver): Promise<boolean> {
    return takeOverReport(this.#writes, request);
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
    return abandonRun(this.#writes, request);
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
    return peekRun(this.#writes, runId);
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
    return getRun(this.#writes, runId);
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
    yield* scanRunItems(this.#writes, options.limit);
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
