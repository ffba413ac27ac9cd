import type { RunStore } from '../engine/ports/run-store.js';
import type { AbandonReason } from '../store/run-record.js';
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
  /** Runs read. */
  scanned: number;
  abandoned: SweptRun[];
}

/**
 * Marks `abandoned` every running run that no invocation will ever move again
 * ({@link abandonment}), each with one conditional write that holds only if
 * the run is still as it was read. Meant for a schedule (every 15 minutes or
 * so) and for `baton runs sweep`.
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
  for await (const run of store.listRuns()) {
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
  return { scanned, abandoned };
}
