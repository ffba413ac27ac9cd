import type { Outcome } from '../../store/run-record.js';

/** How a report ended. */
export const ReportStatus = {
  /** CodePipeline accepted the result. */
  Sent: 'sent',
  /**
   * The job already had a result (`InvalidJobStateException` after an attempt
   * that may have reached CodePipeline, or after one turned away, while a
   * duplicate delivery may have sent the same outcome): counts as done.
   */
  AlreadyReported: 'already-reported',
  /**
   * CodePipeline answered the first attempt with
   * `InvalidJobStateException`: the job takes no result any more (timed out,
   * stopped, or answered before). For an outcome never sent before, the run is
   * abandoned; for a re-sent one it counts as done.
   */
  Refused: 'refused',
} as const;
export type ReportStatus = (typeof ReportStatus)[keyof typeof ReportStatus];

/**
 * Where outcomes go: the engine's port to CodePipeline. `CodePipelineReporter`
 * is the production adapter.
 *
 * @example
 * ```ts
 * const reporter: Reporter = new CodePipelineReporter({ client: new CodePipelineClient({}), logger });
 * ```
 */
export interface Reporter {
  /**
   * Reports `outcome` for its job within `timeBudgetMs`. Resolves once the job
   * has that result; throws `ReportError` when it could not be sent in time
   * (Lambda's retry then re-sends the committed outcome).
   */
  report(
    outcome: Outcome,
    runId: string,
    timeBudgetMs: number,
    options?: ReportOptions,
  ): Promise<ReportStatus>;
}

/** Per-report hooks. */
export interface ReportOptions {
  /** Called before each retry of a failed attempt. */
  onRetry?: () => void;
}
