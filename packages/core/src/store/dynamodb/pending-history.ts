import type { HistoryEntry, HistoryRecord } from '../run-record.js';
import { capHistory, PENDING_ATTRIBUTE, RUN_PK_PREFIX } from './run-items.js';

/**
 * A claim that finds this many pending records flushes them to their own
 * item while the steps run, so the run item carries at most this many.
 */
export const FLUSH_AT_RECORDS = 4;

/** A claim also flushes once the pending records' JSON reaches this size. */
export const FLUSH_AT_BYTES = 2 * 1024;

/**
 * Largest JSON of one record kept in the run item (room for the
 * `MAX_HISTORY_ENTRIES` entries of an invocation with short details): with
 * under {@link FLUSH_AT_BYTES} pending beside it, the records take under
 * 10 KB of the run item, which the engine's size check keeps free.
 */
export const MAX_RECORD_BYTES = 8 * 1024;

/** Longest `detail` kept when a record must shrink to {@link MAX_RECORD_BYTES}. */
const TRIMMED_DETAIL_CHARS = 200;

/**
 * How records are stored, pending in a run item or flushed to a history item:
 * one string, a JSON array of the records without their `runId` (the
 * partition's). A string, not a list of maps: an item of strings and numbers
 * is the cheapest for the SDK to write and read, cold or warm.
 */
export type StoredRecords = string;

/** The pending records of a run item, as stored (absent: none). */
export function pendingOf(item: Record<string, unknown> | undefined): StoredRecords | undefined {
  const text = item?.[PENDING_ATTRIBUTE];
  return typeof text === 'string' ? text : undefined;
}

/** The records of `stored`, oldest first. */
export function parseRecords(stored: StoredRecords | undefined, runId: string): HistoryRecord[] {
  if (stored === undefined) return [];
  return (JSON.parse(stored) as Array<Omit<HistoryRecord, 'runId'>>).map((record) => ({
    runId,
    ...record,
  }));
}

/** `stored` with `record` after its records, capped ({@link capRecord}). */
export function appendRecord(
  stored: StoredRecords | undefined,
  record: HistoryRecord,
): StoredRecords {
  let json = withoutRunId(capHistory(record));
  if (Buffer.byteLength(json, 'utf8') > MAX_RECORD_BYTES) json = withoutRunId(capRecord(record));
  return stored === undefined || stored === '[]' ? `[${json}]` : `${stored.slice(0, -1)},${json}]`;
}

function withoutRunId(record: HistoryRecord): string {
  const { runId: _runId, ...rest } = record;
  return JSON.stringify(rest);
}

/** The run id of a run item (its partition key without the prefix). */
export function runIdOf(item: Record<string, unknown>): string {
  return String(item.pk).slice(RUN_PK_PREFIX.length);
}

/** Whether a claim that found `pending` flushes them before its commit. */
export function needsFlush(pending: StoredRecords | undefined): boolean {
  if (pending === undefined || pending === '[]') return false;
  return (
    Buffer.byteLength(pending, 'utf8') >= FLUSH_AT_BYTES ||
    JSON.parse(pending).length >= FLUSH_AT_RECORDS
  );
}

/**
 * The record as kept: {@link capHistory}, then at most {@link MAX_RECORD_BYTES}
 * of JSON (long details shortened, then entries from the middle dropped and
 * counted in `droppedEntries`).
 */
export function capRecord(record: HistoryRecord): HistoryRecord {
  let capped = capHistory(record);
  if (jsonBytes(capped) <= MAX_RECORD_BYTES) return capped;
  capped = { ...capped, entries: capped.entries.map(shortDetail) };
  let keep = capped.entries.length;
  while (keep > 2 && jsonBytes(capped) > MAX_RECORD_BYTES) {
    keep -= 2;
    capped = keepEnds(capped, keep);
  }
  return capped;
}

function keepEnds(record: HistoryRecord, keep: number): HistoryRecord {
  if (record.entries.length <= keep) return record;
  const entries: HistoryEntry[] = [
    ...record.entries.slice(0, Math.ceil(keep / 2)),
    ...record.entries.slice(record.entries.length - Math.floor(keep / 2)),
  ];
  return {
    ...record,
    entries,
    droppedEntries: record.entries.length - entries.length + (record.droppedEntries ?? 0),
  };
}

function shortDetail(entry: HistoryEntry): HistoryEntry {
  if (entry.detail === undefined || entry.detail.length <= TRIMMED_DETAIL_CHARS) return entry;
  return { ...entry, detail: `${entry.detail.slice(0, TRIMMED_DETAIL_CHARS)}…` };
}

/**
 * A run's history from its history items and the run item's pending records:
 * one record per committed `jobSeq`, in `jobSeq` order. A record flushed but
 * still pending (its flush's commit did not happen) is the same record twice.
 */
export function mergeHistory(
  flushed: readonly HistoryRecord[],
  pending: readonly HistoryRecord[],
): HistoryRecord[] {
  const byJobSeq = new Map<number, HistoryRecord>();
  for (const record of [...flushed, ...pending]) {
    if (!byJobSeq.has(record.jobSeq)) byJobSeq.set(record.jobSeq, record);
  }
  return [...byJobSeq.values()].sort((a, b) => a.jobSeq - b.jobSeq);
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}
