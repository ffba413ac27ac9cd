import { randomUUID } from 'node:crypto';
import { StoreError, StoreFailure } from '../errors.js';
import type { ParsedJobEvent } from '../event/job-event.js';
import type { Job } from '../job/define-job.js';
import type { Logger } from '../logging/logger.js';
import type { InvocationObservation } from '../observe/run-observer.js';
import type { RunRecord } from '../store/run-record.js';
import type { InvocationBudget } from './budget.js';
import type { Lease } from './claim/lease.js';
import type { Clock } from './clock.js';
import { commitRequest } from './commit.js';
import { commitWithRetries } from './commit-retries.js';
import { crashMessage, withUnfinishedClaims } from './crash-accounting.js';
import { cursorOf } from './cursor.js';
import { InvocationHistory } from './history.js';
import type { EngineDependencies, InvocationResult } from './invocation-result.js';
import { migrateRun } from './migration.js';
import type { CommitRequest } from './ports/run-store.js';
import { errorText } from './redaction.js';
import { report } from './report.js';
import { settleReport } from './run-end.js';
import { runItemProblem } from './run-item-size.js';
import { runSteps } from './steps/run-steps.js';
import { failureOutcome } from './transitions/verdict.js';

/** Kept free after the commit's last try for the report. */
const REPORT_RESERVE_MS = 1000;

/** What the work after a claim needs. */
export interface ClaimedRunInput<S extends object, P> {
  job: Job<S, P>;
  /** The run as the claim returned it. */
  run: RunRecord;
  jobId: string;
  owner: string;
  requestId: string | undefined;
  parsed: ParsedJobEvent;
  params: P;
  budget: InvocationBudget;
  lease: Lease;
  clock: Clock;
  log: Logger;
  secrets: readonly string[];
  deps: EngineDependencies;
  /** Told of steps, hand-ons and the run's end (metrics, tracing). */
  observation: InvocationObservation;
}

/**
 * Everything after the claim: steps, commit, report. It is total: a step
 * that keeps crashing, a run too large to store, a value the store refuses
 * and any unexpected error of Baton's own become a committed `JobFailed` with
 * a message saying what happened. Only errors a retry can help (a store or
 * report that fails for a transient or unknown reason) are thrown.
 *
 * @example
 * ```ts
 * return runClaimed({ job, run: claim.run, jobId, owner, … });
 * ```
 */
export async function runClaimed<S extends object, P>(
  input: ClaimedRunInput<S, P>,
): Promise<InvocationResult> {
  const { job, run, jobId, clock, log, deps, budget, secrets } = input;
  const runId = run.runId;
  let stepsRun = 0;
  let request: CommitRequest;
  const crashed = crashMessage(job, run);
  const migration = crashed ? undefined : migrateRun(job, run, secrets);
  if (crashed) {
    log.error('the run keeps dying before its commit: failing it', { crashed });
    request = failureRequest(input, crashed);
  } else if (migration?.kind === 'failed') {
    log.error('the run cannot be carried over to this version of the job: failing it', {
      problem: migration.message,
    });
    request = failureRequest(input, migration.message);
  } else {
    // The run as this version of the job sees it.
    const current = migration?.kind === 'migrated' ? migration.run : run;
    if (migration?.kind === 'migrated') {
      log.info('run carried over to this version of the job', {
        fromVersion: migration.from,
        toVersion: job.version,
        fromStep: run.step,
        toStep: current.step,
      });
    }
    try {
      const steps = await runSteps({ ...input, run: current, log });
      stepsRun = steps.stepsRun;
      if (steps.kind === 'lease-lost') return { kind: 'lease-lost', jobId, runId, stepsRun };
      request = {
        ...commitRequest({
          run: current,
          cursor: steps.cursor,
          final: steps.final,
          history: steps.history,
          jobId,
          owner: input.owner,
          requestId: input.requestId,
          startedAt: budget.startedAt,
          now: clock.now(),
          reportUntil: budget.invocationDeadline,
          secrets,
          retentionDays: deps.retentionDays,
        }),
        commitToken: input.owner,
        jobVersion: job.version,
      };
      request = withUnfinishedClaims(request, run, stepsRun);
      const tooLarge = runItemProblem(request, current);
      if (tooLarge) {
        log.error('the run is too large to store: failing it', { problem: tooLarge });
        request = failureRequest(input, `job ${job.name}: ${tooLarge}`);
      }
    } catch (err) {
      // A store that fails may work on a retry; anything else is Baton's own
      // failure, which no retry fixes.
      if (err instanceof StoreError) throw err;
      log.error('unexpected error after the claim: failing the run', { error: err });
      request = failureRequest(
        input,
        `Baton failed while running step '${current.step}' of job ${job.name}: ${errorText(err, secrets)}`,
      );
    }
  }
  const retries = {
    deadline: budget.invocationDeadline - budget.reportGuardMs - REPORT_RESERVE_MS,
    clock,
    log,
  };
  let committed: boolean;
  try {
    committed = await commitWithRetries(deps.store, request, retries);
  } catch (err) {
    if (!(err instanceof StoreError && err.failure === StoreFailure.Deterministic)) throw err;
    log.error('the store refused the commit: failing the run', { error: err });
    const message = `job ${job.name}: the run could not be stored: ${errorText(err, secrets)}`;
    request = { ...failureRequest(input, message), commitToken: randomUUID() };
    committed = await commitWithRetries(deps.store, request, retries);
  }
  if (!committed) {
    log.warn('lease lost before commit (another invocation took over); not reporting');
    return { kind: 'lease-lost', jobId, runId, stepsRun };
  }
  const { outcome, step, nextJobSeq } = request;
  log.info('committed', { outcome: outcome.kind, step, stepsRun, nextJobSeq });
  if (stepsRun === 0 && outcome.kind === 'continue') input.observation.handedOnWithoutStep();
  const reportStatus = await report(deps.reporter, outcome, runId, budget, clock);
  await settleReport({
    store: deps.store,
    observation: input.observation,
    log,
    clock,
    run,
    outcome,
    committedAt: request.now,
    owner: input.owner,
    status: reportStatus,
  });
  return { kind: 'reported', jobId, runId, outcome, reportStatus, stepsRun };
}

/** A commit that fails the run with `message`, leaving the stored state as it is. */
function failureRequest<S extends object, P>(
  input: ClaimedRunInput<S, P>,
  message: string,
): CommitRequest {
  const { run, clock } = input;
  const { stateJson: _kept, resumeAt: _over, ...cursor } = cursorOf(run);
  const history = new InvocationHistory();
  history.record(cursor, { outcome: 'fail', detail: message }, clock.now());
  return {
    ...commitRequest({
      run,
      cursor,
      final: failureOutcome({ jobId: input.jobId, jobSeq: run.nextJobSeq }, message),
      history,
      jobId: input.jobId,
      owner: input.owner,
      requestId: input.requestId,
      startedAt: input.budget.startedAt,
      now: clock.now(),
      reportUntil: input.budget.invocationDeadline,
      secrets: input.secrets,
      retentionDays: input.deps.retentionDays,
    }),
    commitToken: input.owner,
  };
}
