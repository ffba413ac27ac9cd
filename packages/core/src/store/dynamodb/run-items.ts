import { StoreError, StoreFailure } from '../../errors.js';
import type { HistoryEntry, HistoryRecord, RunRecord } from '../run-record.js';

/** Sort key of a run's own item. */
export const RUN_SK = 'run';
const HISTORY_PREFIX = 'hist#';
/** Entries kept per history item; one invocation rarely runs more steps. */
export const MAX_HISTORY_ENTRIES = 100;

/**
 * Run item attribute holding the history records committed since the last
 * flush (one JSON string, oldest first): see `pending-history.ts`.
 */
export const PENDING_ATTRIBUTE = 'pendingHistory';

/**
 * Run item attribute holding the `commitToken` of the last commit: how a
 * retried commit recognises that its first attempt was applied.
 */
export const COMMIT_TOKEN_ATTRIBUTE = 'commitToken';

/** Start of the partition key of a run's items, before the run id. */
export const RUN_PK_PREFIX = 'run#';

/** Partition key of a run's items. */
export function runPartitionKey(runId: string): string {
  return `${RUN_PK_PREFIX}${runId}`;
}

/** Sort key of the history item whose first record is that of `jobSeq`. */
export function historySortKey(jobSeq: number): string {
  return `${HISTORY_PREFIX}${String(jobSeq).padStart(10, '0')}`;
}

/** Whether an item of a run's partition is one of its history items. */
export function isHistoryItem(item: Record<string, unknown>): boolean {
  return typeof item.sk === 'string' && item.sk.startsWith(HISTORY_PREFIX);
}

/** The history record with at most {@link MAX_HISTORY_ENTRIES} entries (first and last half kept). */
export function capHistory(history: HistoryRecord): HistoryRecord {
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

/** A run item without its keys and the store's own attributes (pending history, commit mark). */
export function toRunRecord(item: Record<string, unknown> | undefined): RunRecord {
  if (!item) throw new StoreError('DynamoDB returned no run item');
  const {
    pk: _pk,
    sk: _sk,
    [PENDING_ATTRIBUTE]: _pending,
    [COMMIT_TOKEN_ATTRIBUTE]: _token,
    ...rest
  } = item;
  return rest as unknown as RunRecord;
}

/**
 * A history item holding one record, field by field (as written before
 * records moved to history items in groups; a group item holds `records`:
 * see `pending-history.ts`).
 */
export function toSingleHistoryRecord(item: Record<string, unknown>): HistoryRecord {
  const { pk: _pk, sk: _sk, expiresAt: _ttl, ...rest } = item;
  return rest as unknown as HistoryRecord;
}

/** A `StoreError` naming the operation, with a hint when the table is missing. */
export function storeError(what: string, tableName: string, err: unknown): StoreError {
  const name = err instanceof Error ? err.name : 'Error';
  const message = err instanceof Error ? err.message : String(err);
  const hint =
    name === 'ResourceNotFoundException'
      ? ` (does table '${tableName}' exist in this region? see BATON_TABLE_NAME)`
      : '';
  return new StoreError(`${what} failed: ${name}: ${message}${hint}`, {
    cause: err,
    failure: storeFailureOf(err),
  });
}

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TransactionInProgressException',
]);
const TRANSIENT_REASONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
]);
const DETERMINISTIC_REASONS = new Set(['ValidationError', 'ItemCollectionSizeLimitExceeded']);

/**
 * Whether a DynamoDB error can pass on a retry: throttling, conflicts and 5xx
 * can; a request DynamoDB refuses (`ValidationException`, a value the
 * document client cannot marshall) never will.
 */
export function storeFailureOf(err: unknown): StoreFailure {
  if (!(err instanceof Error)) return StoreFailure.Unknown;
  if (err.name === 'TransactionCanceledException') {
    const codes = (
      (err as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []
    ).map((r) => r.Code ?? 'None');
    if (codes.some((code) => DETERMINISTIC_REASONS.has(code))) return StoreFailure.Deterministic;
    if (codes.some((code) => TRANSIENT_REASONS.has(code))) return StoreFailure.Transient;
    return StoreFailure.Unknown;
  }
  if (TRANSIENT_NAMES.has(err.name)) return StoreFailure.Transient;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return StoreFailure.Transient;
  if (err.name === 'ValidationException' || err.name === 'SerializationException') {
    return StoreFailure.Deterministic;
  }
  // The document client refuses some values before sending (unsafe numbers, …).
  if (status === undefined && (err instanceof TypeError || err instanceof RangeError)) {
    return StoreFailure.Deterministic;
  }
  if (
    status === undefined &&
    /Number .* (greater|lesser) than Number\.(MAX|MIN)_SAFE_INTEGER|Unsupported type|Pass options\.removeUndefinedValues/.test(
      err.message,
    )
  ) {
    return StoreFailure.Deterministic;
  }
  return StoreFailure.Unknown;
}
