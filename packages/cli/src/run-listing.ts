import { type DynamoDBRunStore, RunListIndexMissingError, RunStatus } from '@baton/core';
import { RunDisplayStatus, type RunView, toRunView } from './run-view.js';
import { asShownRun, LISTED_RUN_FIELDS } from './shown-run.js';

/**
 * How many runs `runs list` reads at most from a table without the
 * `runs-by-status` index (a scan in table order, not newest first).
 */
export const SCAN_BOUND = 5000;

/** Which runs to list. */
export interface RunFilter {
  /** As `runs list` shows it (`stuck` and `running` are both stored `running`). */
  status?: RunDisplayStatus;
  jobName?: string;
  /** Runs started at or after (epoch ms). */
  since?: number;
  /** At most this many. */
  limit: number;
}

/** The runs to show, and how they were found. */
export interface RunListing {
  /** Newest first. */
  views: RunView[];
  /** Whether more runs match than `limit`. */
  more: boolean;
  /**
   * Set when the table has no usable index and a bounded scan stood in: why,
   * how many runs it read, and whether that was all of them.
   */
  scan?: { reason: string; read: number; complete: boolean };
}

/**
 * The newest runs that match `filter`, from the table's `runs-by-status`
 * index, page by page until `limit` are found, reading only what `runs
 * list` shows of each ({@link LISTED_RUN_FIELDS}). Without the index: a scan
 * of at most {@link SCAN_BOUND} runs, sorted, and said so in `scan`.
 *
 * @example
 * ```ts
 * const { views, more } = await listRuns(store, { status: 'stuck', limit: 20 }, Date.now());
 * ```
 */
export async function listRuns(
  store: DynamoDBRunStore,
  filter: RunFilter,
  now: number,
): Promise<RunListing> {
  const keep = (view: RunView) => filter.status === undefined || view.status === filter.status;
  try {
    const views: RunView[] = [];
    for await (const item of store.listRunsNewestFirst({
      fields: LISTED_RUN_FIELDS,
      ...storedStatuses(filter.status),
      ...(filter.jobName === undefined ? {} : { jobName: filter.jobName }),
      ...(filter.since === undefined ? {} : { createdSince: filter.since }),
      // One more than shown tells whether there are more.
      pageSize: Math.min(100, filter.limit + 1),
    })) {
      const run = asShownRun(item);
      if (!run) continue;
      const view = toRunView(run, now);
      if (keep(view)) views.push(view);
      if (views.length > filter.limit) break;
    }
    return { views: views.slice(0, filter.limit), more: views.length > filter.limit };
  } catch (err) {
    if (!(err instanceof RunListIndexMissingError)) throw err;
    return scanForRuns(store, filter, now, err.message);
  }
}

async function scanForRuns(
  store: DynamoDBRunStore,
  filter: RunFilter,
  now: number,
  reason: string,
): Promise<RunListing> {
  const views: RunView[] = [];
  let read = 0;
  for await (const item of store.scanRuns({ fields: LISTED_RUN_FIELDS, maxRuns: SCAN_BOUND })) {
    read += 1;
    const run = asShownRun(item);
    if (!run) continue;
    if (filter.jobName !== undefined && run.jobName !== filter.jobName) continue;
    if (filter.since !== undefined && run.createdAt < filter.since) continue;
    const view = toRunView(run, now);
    if (filter.status === undefined || view.status === filter.status) views.push(view);
  }
  views.sort((a, b) => b.createdAt - a.createdAt);
  return {
    views: views.slice(0, filter.limit),
    more: views.length > filter.limit,
    scan: { reason, read, complete: read < SCAN_BOUND },
  };
}

/** The stored statuses a displayed status comes from (stuck runs are stored running). */
function storedStatuses(status: RunDisplayStatus | undefined): { statuses?: RunStatus[] } {
  if (status === undefined) return {};
  if (status === RunDisplayStatus.Stuck) return { statuses: [RunStatus.Running] };
  return { statuses: [status] };
}
