import type { Logger } from '../logging/logger.js';
import type { InvocationObservation } from '../observe/run-observer.js';
import { AbandonReason, type Outcome, type RunRecord } from '../store/run-record.js';
import type { Clock } from './clock.js';
import { ReportStatus } from './ports/reporter.js';
import type { RunStore } from './ports/run-store.js';

/** What {@link settleReport} needs: the run as claimed, and what was committed and sent. */
export interface SettleInput {
  store: RunStore;
  observation: InvocationObservation;
  log: Logger;
  clock: Clock;
  run: RunRecord;
  outcome: Outcome;
  /** `updatedAt` the commit wrote. */
  committedAt: number;
  /** This invocation's random id: the `reportOwner` its commit wrote. */
  owner: string;
  status: ReportStatus;
}

/**
 * After the report of a newly committed outcome: when CodePipeline refused it
 * (the job takes no result any more: the action timed out, was stopped or
 * superseded), the run is marked `abandoned`, so the table stops showing it
 * as running or as a success the pipeline never saw. The mark holds only
 * while this invocation is still the run's `reportOwner`: a Lambda retry
 * that took the report over may have re-sent the outcome first, and then
 * the refusal says nothing of the job. Tells the observer how the run ended,
 * if it did.
 *
 * @example
 * ```ts
 * await settleReport({ store, observation, log, clock, run, outcome, committedAt, owner, status });
 * ```
 */
export async function settleReport(input: SettleInput): Promise<void> {
  const { run, outcome, observation } = input;
  // From the run's creation to the commit that ended it, as the table has both.
  const durationMs = () => input.committedAt - run.createdAt;
  if (input.status === ReportStatus.Refused) {
    const detail =
      `CodePipeline refused the ${outcome.kind} result of job ${outcome.jobId} ` +
      '(InvalidJobStateException on its first report): the job takes no result any more ' +
      '(the action timed out, was stopped, or a newer execution superseded it)';
    input.log.warn('CodePipeline no longer accepts the job: marking the run abandoned', { detail });
    const marked = await input.store
      .abandon({
        runId: run.runId,
        reason: AbandonReason.JobRefused,
        detail,
        now: input.clock.now(),
        ifUpdatedAt: input.committedAt,
        ifReportOwner: input.owner,
      })
      .catch((err: unknown) => {
        // The sweep marks it later; the invocation itself is over.
        input.log.error('could not mark the run abandoned', { error: err });
        return false;
      });
    if (marked) {
      observation.runEnded({ status: 'abandoned', durationMs: durationMs() });
      return;
    }
    // The run keeps its committed outcome: the table says it ended so.
    input.log.info(
      'run not marked abandoned: it moved since its commit or its report was taken over',
    );
  }
  if (outcome.kind === 'succeed')
    observation.runEnded({ status: 'succeeded', durationMs: durationMs() });
  if (outcome.kind === 'fail') observation.runEnded({ status: 'failed', durationMs: durationMs() });
}
