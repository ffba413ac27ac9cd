import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { BatonError, type BatonErrorOptions } from '../../errors.js';
import { RunStatus } from '../run-record.js';
import { RUN_LIST_INDEX } from '../table-definition.js';
import { RUN_SK, runPartitionKey, storeError } from './run-items.js';
import { type ProjectedRun, projectionOf, type RunFieldPath } from './run-projection.js';

/** Options of `DynamoDBRunStore.listRunsNewestFirst`. */
export interface RunListingOptions {
  /** The fields to read of each run; `runId` is always read. */
  fields: readonly RunFieldPath[];
  /**
   * Only runs with one of these stored statuses.
   * @default every status
   */
  statuses?: readonly RunStatus[];
  /** Only runs of this job definition. @default every job */
  jobName?: string;
  /** Only runs created at or after this time (epoch ms). @default no bound */
  createdSince?: number;
  /** Only runs whose id starts with these hex characters. @default every run */
  runIdPrefix?: string;
  /**
   * Index entries read per request, and run items per batch read.
   * @default 100
   */
  pageSize?: number;
}

/**
 * The table has no usable {@link RUN_LIST_INDEX}: it was created before the
 * index existed (or by hand), or the index is still being built.
 * `createTable` adds it to an existing table.
 *
 * @example
 * ```ts
 * catch (err) { if (err instanceof RunListIndexMissingError) fallBackToScan(); }
 * ```
 */
export class RunListIndexMissingError extends BatonError {
  public constructor(message: string, options?: BatonErrorOptions) {
    super(message, options);
    this.name = 'RunListIndexMissingError';
  }
}

/** An index entry: the run item's key, and what the index sorts and filters by. */
export interface IndexEntry {
  key: { pk: string; sk: string };
  createdAt: number;
}

type PageReader = (startKey: Record<string, unknown> | undefined) => Promise<{
  items: Record<string, unknown>[];
  next: Record<string, unknown> | undefined;
}>;

/** One status partition of the index, read page by page, newest first. */
class StatusCursor {
  readonly #read: PageReader;
  readonly #entries: IndexEntry[] = [];
  #startKey: Record<string, unknown> | undefined;
  #done = false;

  public constructor(read: PageReader) {
    this.#read = read;
  }

  /** The newest entry not taken yet, reading the next page when needed. */
  public async head(): Promise<IndexEntry | undefined> {
    while (this.#entries.length === 0 && !this.#done) {
      const { items, next } = await this.#read(this.#startKey);
      for (const item of items) {
        this.#entries.push({
          key: { pk: String(item.pk), sk: String(item.sk) },
          createdAt: Number(item[RUN_LIST_INDEX.sortKey]),
        });
      }
      this.#startKey = next;
      this.#done = next === undefined;
    }
    return this.#entries[0];
  }

  public take(): void {
    this.#entries.shift();
  }
}

/**
 * Runs newest first (by `createdAt`) from the {@link RUN_LIST_INDEX}: one
 * paged query per status, merged, and the run items of each page read with
 * `BatchGetItem` and a projection of `fields`. Stops reading when the caller
 * stops iterating, so a listing of 20 runs reads about 20 entries per status
 * and 20 items, whatever the size of the table.
 *
 * @throws {RunListIndexMissingError} when the table has no such index
 */
export async function* listRunsNewestFirst(
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: RunListingOptions,
): AsyncGenerator<ProjectedRun> {
  const pageSize = options.pageSize ?? 100;
  const statuses = options.statuses ?? Object.values(RunStatus);
  const cursors = statuses.map(
    (status) =>
      new StatusCursor(async (startKey) => {
        const out = await queryIndex(doc, tableName, status, options, pageSize, startKey);
        return { items: out.Items ?? [], next: out.LastEvaluatedKey };
      }),
  );
  const projection = projectionOf(options.fields);
  // The first page of every status at once; later pages as the merge needs them.
  await Promise.all(cursors.map((cursor) => cursor.head()));
  // A run that ends while it is listed moves to another status: list it once.
  const seen = new Set<string>();
  for (;;) {
    const page: IndexEntry[] = [];
    while (page.length < pageSize) {
      const entry = await newestHead(cursors);
      if (!entry) break;
      if (seen.has(entry.key.pk)) continue;
      seen.add(entry.key.pk);
      page.push(entry);
    }
    if (page.length === 0) return;
    const items = await batchGet(doc, tableName, page, projection);
    for (const entry of page) {
      const item = items.get(entry.key.pk);
      // Gone between the index read and the item read (expired by TTL): skip it.
      if (item) yield item as ProjectedRun;
    }
  }
}

async function newestHead(cursors: readonly StatusCursor[]): Promise<IndexEntry | undefined> {
  let best: { cursor: StatusCursor; entry: IndexEntry } | undefined;
  for (const cursor of cursors) {
    const entry = await cursor.head();
    if (entry && (!best || entry.createdAt > best.entry.createdAt)) best = { cursor, entry };
  }
  best?.cursor.take();
  return best?.entry;
}

/** One page of the index's `status` partition, newest first, with `options`' filters. */
export async function queryIndex(
  doc: DynamoDBDocumentClient,
  tableName: string,
  status: string,
  options: RunListingOptions,
  pageSize: number,
  startKey: Record<string, unknown> | undefined,
) {
  const since = options.createdSince !== undefined;
  const job = options.jobName !== undefined;
  const prefix = options.runIdPrefix !== undefined;
  const filters = [
    job ? 'jobName = :job' : undefined,
    prefix ? 'begins_with(pk, :prefix)' : undefined,
  ].filter(Boolean);
  try {
    return await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: RUN_LIST_INDEX.name,
        KeyConditionExpression: `#status = :status${since ? ' AND #createdAt >= :since' : ''}`,
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
        ExpressionAttributeNames: {
          '#status': RUN_LIST_INDEX.partitionKey,
          ...(since ? { '#createdAt': RUN_LIST_INDEX.sortKey } : {}),
        },
        ExpressionAttributeValues: {
          ':status': status,
          ...(since ? { ':since': options.createdSince } : {}),
          ...(job ? { ':job': options.jobName } : {}),
          ...(prefix ? { ':prefix': runPartitionKey(options.runIdPrefix ?? '') } : {}),
        },
        ScanIndexForward: false,
        Limit: pageSize,
        ExclusiveStartKey: startKey,
      }),
    );
  } catch (err) {
    if (err instanceof Error && /specified index/i.test(err.message)) {
      throw new RunListIndexMissingError(
        `table '${tableName}' has no index '${RUN_LIST_INDEX.name}' (${err.message})`,
        { cause: err },
      );
    }
    if (err instanceof Error && /backfilling/i.test(err.message)) {
      throw new RunListIndexMissingError(
        `index '${RUN_LIST_INDEX.name}' of table '${tableName}' is still being built (${err.message})`,
        { cause: err },
      );
    }
    throw storeError('listing runs', tableName, err);
  }
}

/**
 * The run items of `entries` by `pk` (whole, or only `projection`), reading
 * again what DynamoDB left unprocessed.
 */
export async function batchGet(
  doc: DynamoDBDocumentClient,
  tableName: string,
  entries: readonly IndexEntry[],
  projection: { expression: string; names: Record<string, string> } | undefined,
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  // BatchGetItem reads at most 100 keys per request.
  for (let start = 0; start < entries.length; start += 100) {
    let keys: Record<string, unknown>[] = entries
      .slice(start, start + 100)
      .map((entry) => ({ pk: entry.key.pk, sk: RUN_SK }));
    for (let round = 0; keys.length > 0; round += 1) {
      // Unprocessed keys (throttling) are read again after a short backoff.
      if (round > 0) await sleep(Math.min(1000, 50 * 2 ** round));
      const out = await doc
        .send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: {
                Keys: keys,
                ...(projection === undefined
                  ? {}
                  : {
                      ProjectionExpression: `#pk, ${projection.expression}`,
                      ExpressionAttributeNames: { '#pk': 'pk', ...projection.names },
                    }),
              },
            },
          }),
        )
        .catch((err: unknown) => {
          throw storeError('reading listed runs', tableName, err);
        });
      for (const item of out.Responses?.[tableName] ?? []) {
        const { pk, ...rest } = item;
        found.set(String(pk), rest);
      }
      keys = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
