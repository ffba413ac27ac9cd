import { EmfUnit, formatEmfLines, type SweepResult } from '@baton/core';

/** Metric names of the scheduled sweep's embedded-metric-format line. */
export const SweepMetric = {
  /** Runs the sweep read (the running ones). */
  SweepRunsRead: 'SweepRunsRead',
  /** Runs it marked `abandoned` (any reason). */
  RunsAbandoned: 'RunsAbandoned',
} as const;
export type SweepMetric = (typeof SweepMetric)[keyof typeof SweepMetric];

/** What one scheduled sweep writes: a log line and its metrics. */
export interface SweepReportOptions {
  /** CloudWatch namespace. */
  namespace: string;
  /** Value of the `ServiceName` dimension (the sweep function's name). */
  serviceName: string;
  /** Epoch ms of the line. */
  timestamp: number;
}

/**
 * The lines a scheduled sweep writes to stdout: one JSON log line naming
 * each run found (id, job, reason, whether it was marked), and one line in
 * CloudWatch's embedded metric format with `SweepRunsRead` and
 * `RunsAbandoned` (marked runs) under the one dimension `ServiceName`, so an
 * alarm can watch every job of the table at once.
 *
 * @example
 * ```ts
 * for (const line of sweepReport(await sweepRuns(store), { namespace: 'Baton', serviceName, timestamp: Date.now() })) console.log(line);
 * ```
 */
export function sweepReport(result: SweepResult, options: SweepReportOptions): string[] {
  const marked = result.abandoned.filter((run) => run.marked);
  const log = JSON.stringify({
    level: 'INFO',
    message: `sweep: ${result.scanned} running runs read, ${marked.length} marked abandoned`,
    read: result.scanned,
    marked: marked.length,
    ...(result.scanReason === undefined ? {} : { scanReason: result.scanReason }),
    abandoned: result.abandoned.map(({ runId, jobName, reason, marked: done }) => ({
      runId,
      jobName,
      reason,
      marked: done,
    })),
  });
  const metrics = formatEmfLines({
    namespace: options.namespace,
    dimensions: { ServiceName: options.serviceName },
    timestamp: options.timestamp,
    metrics: [
      { name: SweepMetric.SweepRunsRead, unit: EmfUnit.Count, values: [result.scanned] },
      { name: SweepMetric.RunsAbandoned, unit: EmfUnit.Count, values: [marked.length] },
    ],
  });
  return [log, ...metrics];
}
