import { randomUUID } from 'node:crypto';
import { ConfigurationError } from '../errors.js';
import { readJobId, secretsOf } from '../event/job-event.js';
import type { Job } from '../job/define-job.js';
import type { LambdaContext } from '../lambda/lambda-context.js';
import type { Logger } from '../logging/logger.js';
import { redactingLogger } from '../logging/redacting-logger.js';
import type { InvocationObservation } from '../observe/run-observer.js';
import type { Outcome } from '../store/run-record.js';
import { newNonce } from '../token/continuation-token.js';
import { answeredBefore } from './answered-before.js';
import {
  type InvocationBudget,
  invocationBudget,
  replyDeadline,
  withinReplyWindow,
} from './budget.js';
import { claimRun } from './claim/claim-run.js';
import { Lease } from './claim/lease.js';
import { runClaimed } from './claimed-run.js';
import { type Clock, systemClock } from './clock.js';
import { uncountedClaims, unfinishedClaims } from './crash-accounting.js';
import { type IdentifiedJob, identify } from './identify.js';
import type { EngineDependencies, InvocationResult } from './invocation-result.js';
import { observeInvocation } from './observed-invocation.js';
import { ReportStatus } from './ports/reporter.js';
import type { ClaimRequest } from './ports/run-store.js';
import { errorText } from './redaction.js';
import { rejection, report } from './report.js';
import { expiresAtFrom } from './retention.js';
import { scoped } from './scoped-logger.js';

/**
 * Runs one invocation of the run protocol: identify, claim, run steps,
 * commit, report. Each phase is a module of `engine/`.
 *
 * @example
 * ```ts
 * const result = await runInvocation(job, event, context, { store, reporter, logger });
 * ```
 */
export async function runInvocation<S extends object, P>(
  job: Job<S, P>,
  event: unknown,
  context: LambdaContext,
  deps: EngineDependencies,
): Promise<InvocationResult> {
  const clock = deps.clock ?? systemClock;
  const budget = invocationBudget(context, clock, deps);
  // Without a job id nothing can be reported: this throws.
  const jobId = readJobId(event);
  const secrets = secretsOf(event);
  return observeInvocation(
    deps,
    { jobName: job.name, jobId, requestId: context.awsRequestId },
    secrets,
    (observed, observation) =>
      invoke(job, event, context, observed, observation, { clock, budget, jobId, secrets }),
  );
}

async function invoke<S extends object, P>(
  job: Job<S, P>,
  event: unknown,
  context: LambdaContext,
  deps: EngineDependencies,
  observation: InvocationObservation,
  start: { clock: Clock; budget: InvocationBudget; jobId: string; secrets: string[] },
): Promise<InvocationResult> {
  const { clock, budget, jobId, secrets } = start;
  const requestId = context.awsRequestId;
  const log = scoped(redactingLogger(deps.logger, secrets), { jobId, job: job.name, requestId });
  const reject = async (error: ConfigurationError, runId?: string): Promise<InvocationResult> => {
    log.warn('rejecting job: configuration error', { runId, error: error.message });
    const outcome = rejection(jobId, error);
    const reportStatus = resent(
      await report(deps.reporter, outcome, runId ?? jobId, budget, clock),
    );
    return { kind: 'rejected', jobId, runId, outcome, reportStatus, stepsRun: 0 };
  };

  const resend = async (outcome: Outcome, runLog: Logger, runId: string) => {
    runLog.info('duplicate of a committed job: re-sending its outcome', { outcome: outcome.kind });
    const reportStatus = resent(await report(deps.reporter, outcome, runId, budget, clock));
    return { kind: 'resent', jobId, runId, outcome, reportStatus, stepsRun: 0 } as const;
  };

  const identified = await identify(job, event);
  if (identified.kind === 'rejected') {
    // Answered before, under parameters this deployment refuses: answer the same.
    const earlier = identified.run
      ? await answeredBefore(deps.store, identified.run, { jobId, now: clock.now() }, log)
      : undefined;
    if (!earlier || !identified.run) return reject(identified.error);
    const { runId, jobSeq } = identified.run;
    observation.run({ runId, sequence: jobSeq });
    const runLog = scoped(log, { runId, jobSeq });
    if (earlier.kind === 'resend') return resend(earlier.outcome, runLog, runId);
    if (earlier.kind === 'reporting') {
      runLog.info('job answered before, its committer is reporting it: returning quietly');
      return { kind: 'in-progress', jobId, runId, stepsRun: 0 };
    }
    runLog.info('stale job of an older sequence: nothing to do');
    return { kind: 'stale', jobId, runId, stepsRun: 0 };
  }
  const { runId, jobSeq } = identified;
  const runLog = scoped(log, { runId, jobSeq });

  const owner = randomUUID();
  const request = claimRequest(job, identified, {
    jobId,
    owner,
    requestId,
    budget,
    clock,
    deps,
    traceParent: observation.traceParent(),
  });
  const claim = await claimRun(
    deps.store,
    request,
    { jobId, jobSeq, nonce: identified.nonce, requestId, takeoverAfterMs: budget.takeoverAfterMs },
    () => clock.now(),
    runLog,
  );
  const seen =
    claim.kind === 'claimed' ? claim.run : claim.kind === 'reject' ? undefined : claim.current;
  if (seen) {
    observation.run({
      runId,
      sequence: jobSeq,
      ...(seen.traceParent ? { traceParent: seen.traceParent } : {}),
    });
  }
  switch (claim.kind) {
    case 'reject':
      return reject(new ConfigurationError(claim.message), runId);
    case 'resend':
      return resend(claim.outcome, runLog, runId);
    case 'stale':
      runLog.info('stale job of an older sequence: nothing to do', {
        runNextJobSeq: claim.current.nextJobSeq,
      });
      return { kind: 'stale', jobId, runId, stepsRun: 0 };
    case 'in-progress':
      runLog.info('duplicate of a job another invocation is running: returning quietly');
      return { kind: 'in-progress', jobId, runId, stepsRun: 0 };
    case 'reporting':
      runLog.info('duplicate of a job whose committer is reporting it: returning quietly');
      return { kind: 'in-progress', jobId, runId, stepsRun: 0 };
    case 'claimed':
      // An earlier claim of this job ended without a commit (it died, timed
      // out or threw): a take-over of a dead attempt, or a claim after its lease ran out.
      // Claims carried over by a hand-on that ran no step were counted before.
      if (claim.tookOver || uncountedClaims(claim.run) > 1) observation.crashCounted();
      // This claim created the run: a first job, and the run's creation is this claim's.
      if (request.create && claim.run.createdAt === request.now && claim.run.historyCount === 0) {
        observation.runStarted();
      }
      break;
  }

  const lease = new Lease(deps.store, runId, owner, clock, {
    heartbeatMs: budget.heartbeatMs,
    claimedAt: budget.startedAt,
    claims: unfinishedClaims(claim.run),
    startsAt: { step: claim.run.step, attempt: claim.run.attempt },
  });
  const { parsed, params } = identified;
  // The job must be answered inside its reply window, whatever time Lambda gave.
  const stepBudget = withinReplyWindow(budget, claim.run.replyBy);
  if (stepBudget.cutByReplyWindow) {
    runLog.info("steps end early: the job's reply window ends before the invocation", {
      replyBy: new Date(claim.run.replyBy ?? 0).toISOString(),
      stepsUntil: new Date(stepBudget.budgetEnd).toISOString(),
    });
  }
  try {
    return await runClaimed({
      job,
      run: claim.run,
      jobId,
      owner,
      requestId,
      parsed,
      params,
      budget: stepBudget,
      lease,
      clock,
      log: runLog,
      secrets,
      observation,
      deps,
    });
  } catch (err) {
    // A failed report keeps the commit; anything else gives the lease up first.
    if (!(err instanceof Error && err.name === 'ReportError')) {
      await lease
        .release(errorText(err, secrets))
        .catch((releaseErr: unknown) =>
          log.error('could not release the lease', { runId, error: releaseErr }),
        );
    }
    throw err;
  }
}

/** The claim of an identified job: a first job's creates the run. */
function claimRequest<S extends object, P>(
  job: Job<S, P>,
  identified: IdentifiedJob<P>,
  c: {
    jobId: string;
    owner: string;
    requestId: string | undefined;
    budget: InvocationBudget;
    clock: Clock;
    deps: EngineDependencies;
    traceParent: string | undefined;
  },
): ClaimRequest {
  const { startedAt } = c.budget;
  const now = c.clock.now();
  return {
    runId: identified.runId,
    jobId: c.jobId,
    jobSeq: identified.jobSeq,
    owner: c.owner,
    leaseUntil: c.budget.invocationDeadline,
    now,
    // Stored by the job's first claim only: its reply window starts there.
    replyBy: replyDeadline(now),
    ...(c.requestId ? { requestId: c.requestId } : {}),
    ...(identified.nonce === undefined
      ? {
          create: {
            jobName: job.name,
            firstStep: job.firstStep,
            nonce: newNonce(),
            deadlineAt: startedAt + job.deadlineSeconds * 1000,
            expiresAt: expiresAtFrom(startedAt, c.deps.retentionDays),
            jobVersion: job.version,
            ...(c.traceParent === undefined ? {} : { traceParent: c.traceParent }),
          },
        }
      : { nonce: identified.nonce }),
  };
}

/** A re-sent outcome (or a rejection) refused by CodePipeline was answered before: done. */
function resent(status: ReportStatus): ReportStatus {
  return status === ReportStatus.Refused ? ReportStatus.AlreadyReported : status;
}
