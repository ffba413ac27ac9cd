import type { PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { HistoryRecord } from '../run-record.js';
import { appendRecord, needsFlush, pendingOf, type StoredRecords } from './pending-history.js';
import { historySortKey } from './run-items.js';

/** Claims remembered at once; an invocation that never commits leaves one behind. */
const MAX_CLAIMS = 64;

/** A day, in seconds: slack on a flushed item's TTL for the run's last commits. */
const DAY_SECONDS = 86_400;

interface ClaimedPending {
  /** The run item's pending records when it was claimed. */
  pending: StoredRecords | undefined;
  /** Their flush to a history item, started at the claim; absent when not due. */
  flush?: Promise<void>;
}

/**
 * Moves a run's pending history records (see `pending-history.ts`) to a
 * history item, off the critical path: the claim that finds enough of them
 * starts one `PutItem` of them all, which runs while the steps do, and the
 * commit of the same owner waits for it before it drops them from the run
 * item. So a record leaves the run item only in a commit that follows the
 * write that stored it elsewhere; a crash anywhere loses none.
 */
export class HistoryFlusher {
  readonly #tableName: string;
  readonly #put: (input: PutCommandInput) => Promise<unknown>;
  readonly #claims = new Map<string, ClaimedPending>();

  public constructor(tableName: string, put: (input: PutCommandInput) => Promise<unknown>) {
    this.#tableName = tableName;
    this.#put = put;
  }

  /** Remembers the pending records of the run item `owner` claimed; starts their flush when due. */
  public claimed(owner: string, item: Record<string, unknown>, now: number): void {
    const pending = pendingOf(item);
    const claim: ClaimedPending = { pending };
    if (needsFlush(pending)) {
      claim.flush = this.#put(this.#flushItem(item, pending as StoredRecords, now)).then(
        () => undefined,
      );
      // Awaited by the commit; until then a failure must not surface as unhandled.
      claim.flush.catch(() => undefined);
    }
    this.#claims.delete(owner);
    this.#claims.set(owner, claim);
    for (const oldest of this.#claims.keys()) {
      if (this.#claims.size <= MAX_CLAIMS) break;
      this.#claims.delete(oldest);
    }
  }

  /**
   * The pending records `owner`'s commit writes: `record` after those the
   * claim found, or alone once the flush started at the claim has stored
   * them. Throws the flush's error when it failed: the commit must then not
   * happen, it would drop records that are nowhere else. `undefined` when
   * this store did not see `owner`'s claim: the caller reads the run item.
   */
  public async pendingAfter(
    owner: string,
    record: HistoryRecord,
  ): Promise<StoredRecords | undefined> {
    const claim = this.#claims.get(owner);
    if (!claim) return undefined;
    if (claim.flush) {
      await claim.flush;
      return appendRecord(undefined, record);
    }
    return appendRecord(claim.pending, record);
  }

  /** Forgets `owner`'s claim (after its commit or lease release). */
  public forget(owner: string): void {
    this.#claims.delete(owner);
  }

  #flushItem(item: Record<string, unknown>, pending: StoredRecords, now: number): PutCommandInput {
    const first = (JSON.parse(pending) as Array<{ jobSeq: number }>)[0] as { jobSeq: number };
    // Outlives the run item: its TTL moves with each commit until the deadline.
    const runTtl = Number(item.expiresAt);
    const untilDeadline = Math.max(0, Math.ceil((Number(item.deadlineAt) - now) / 1000));
    return {
      TableName: this.#tableName,
      Item: {
        pk: item.pk,
        sk: historySortKey(first.jobSeq),
        records: pending,
        expiresAt: runTtl + untilDeadline + DAY_SECONDS,
      },
    };
  }
}
