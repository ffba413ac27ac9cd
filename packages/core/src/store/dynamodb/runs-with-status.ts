import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunRecord, RunStatus } from '../run-record.js';
import { RUN_LIST_INDEX } from '../table-definition.js';
import { batchGet, type IndexEntry, queryIndex } from './run-index-listing.js';
import { toRunRecord } from './run-items.js';

/**
 * Whole run items stored with `status`: the `status` partition of the
 * {@link RUN_LIST_INDEX} read page by page (`Query`), and each page's run
 * items read with `BatchGetItem`, since the index projects only `jobName`.
 * A run that left `status` between the two reads is skipped. On a big table
 * this reads the running runs only, where a `Scan` would read every item.
 *
 * @throws {RunListIndexMissingError} when the table has no such index
 */
export async function* runsWithStatus(
  doc: DynamoDBDocumentClient,
  tableName: string,
  status: RunStatus,
  options: { limit?: number; pageSize?: number } = {},
): AsyncGenerator<RunRecord> {
  const pageSize = options.pageSize ?? 100;
  let startKey: Record<string, unknown> | undefined;
  let yielded = 0;
  do {
    const out = await queryIndex(doc, tableName, status, { fields: [] }, pageSize, startKey);
    const entries: IndexEntry[] = (out.Items ?? []).map((item) => ({
      key: { pk: String(item.pk), sk: String(item.sk) },
      createdAt: Number(item[RUN_LIST_INDEX.sortKey]),
    }));
    const items =
      entries.length > 0 ? await batchGet(doc, tableName, entries, undefined) : undefined;
    for (const entry of entries) {
      const item = items?.get(entry.key.pk);
      // Gone (TTL) or moved to another status since the index was read.
      if (!item || item.status !== status) continue;
      if (options.limit !== undefined && yielded >= options.limit) return;
      yield toRunRecord(item);
      yielded += 1;
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
}
