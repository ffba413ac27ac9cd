import type { RunStore } from '../engine/ports/run-store.js';
import { RunListIndexMissingError } from '../store/dynamodb/run-index-listing.js';
import { type AbandonReason, type RunRecord, RunStatus } from '../store/run-record.js';
import { type AbandonmentOptions, abandonment } from './abandonment.js';

/** Options of {@link sweepRuns}. */
export interface SweepOptions extends AbandonmentOptions {
  /** The time to judge by, epoch ms. @default Date.now() */
  now?: number;
  /** Only report what would be marked. @default false */
  dryRun?: boolean;
}

/** A run the sweep found abandoned. */
export interface SweptRun {
  runId: string;
  jobName: string;
  reason: AbandonReason;
  detail: string;
  /** `false` in a dry run, or when the run moved between the read and the write. */
  marked: boolean;
}

/** What a sweep did. */
export interface SweepResult {
  /** Runs read (the running ones, or every run when the table was scanned). */
  scanned: number;
  abandoned: SweptRun[];
  /**
   * Set when the table has no usable `runs-by-status` index (created before
   * it, or the index is still being built) and the sweep scanned the table
   * instead: why.
   */
  scanReason?: string;
}

/**
 * Marks `abandoned` every running run that no invocation will ever move again
 * ({@link abandonment}), each with one conditional write that holds only if
 * the run is still as it was read. Meant for a schedule (every 15 minutes or
 * so) and for `baton runs sweep`.
 *
 * It reads only the running runs: `store.listRuns({ status: 'running' })`,
 * which `DynamoDBRunStore` answers from the `runs-by-status` index (`Query`,
 * then `BatchGetItem` of the run items), so the sweep's cost follows the runs
 * in flight, not the table's size. On a table without the index it scans
 * the table (`Scan`) and says so in `scanReason`.
 *
 * @example
 * ```ts
 * const { abandoned } = await sweepRuns(new DynamoDBRunStore({ tableName, client }));
 * ```
 */
export async function sweepRuns(store: RunStore, options: SweepOptions = {}): Promise<SweepResult> {
  const now = options.now ?? Date.now();
  const abandoned: SweptRun[] = [];
  let scanned = 0;
  const source = runningRuns(store);
  for await (const run of source.runs) {
    scanned += 1;
    const verdict = abandonment(run, now, options);
    if (!verdict) continue;
    const marked = options.dryRun
      ? false
      : await store.abandon({
          runId: run.runId,
          reason: verdict.reason,
          detail: verdict.detail,
          now,
          ifUpdatedAt: run.updatedAt,
        });
    abandoned.push({ runId: run.runId, jobName: run.jobName, ...verdict, marked });
  }
  return {
    scanned,
    abandoned,
    ...(source.scanReason() ? { scanReason: source.scanReason() } : {}),
  };
}

/** The running runs from the index, or every run from a scan when the table has no index. */
function runningRuns(store: RunStore): {
  runs: AsyncIterable<RunRecord>;
  scanReason: () => string | undefined;
} {
  let reason: string | undefined;
  async function* runs(): AsyncGenerator<RunRecord> {
    let read = 0;
    try {
      for await (const run of store.listRuns({ status: RunStatus.Running })) {
        read += 1;
        yield run;
      }
    } catch (err) {
      // The index is read before any run is yielded: a missing index shows up first.
      if (!(err instanceof RunListIndexMissingError) || read > 0) throw err;
      reason = err.message;
      yield* store.listRuns();
    }
  }
  return { runs: runs(), scanReason: () => reason };
}
