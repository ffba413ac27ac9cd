import type { RunRecord } from '../store/run-record.js';
import type { CommitRequest } from './ports/run-store.js';

/**
 * Crash accounting: every claim adds one to the run's `unfinishedClaims`; a
 * commit after a step clears them, and a commit that ran no step takes off
 * only its own claim, so a step that kills its process is counted across the
 * jobs a late retry hands it on to.
 */

/** Claims of the run that no step-running commit followed, this one's included. */
export function unfinishedClaims(run: RunRecord): number {
  return run.unfinishedClaims ?? 1;
}

/**
 * This claim's count, less the claims a hand-on that ran no step carried
 * over (a claim before that hand-on counted those): more than one means an
 * invocation ended without a commit since.
 */
export function uncountedClaims(run: RunRecord): number {
  return unfinishedClaims(run) - (run.carriedClaims ?? 0);
}

/**
 * The commit request as crash accounting wants it: a hand-on that ran no step
 * (`stepsRun` 0: no time left in the reply window or the budget) leaves the
 * earlier unfinished claims on the run, since it proves nothing of the step
 * they may have died in. Any other commit clears them: one after a step, one
 * that ends the run, and a bounce on a wait that had not ended when this
 * invocation started (the claims before it found the run waiting too, so
 * none of them ran the step; only a commit after a step sets a wait).
 */
export function withUnfinishedClaims(
  request: CommitRequest,
  run: RunRecord,
  stepsRun: number,
): CommitRequest {
  const left = unfinishedClaims(run) - 1;
  const waiting = request.resumeAt !== undefined && request.resumeAt > request.history.startedAt;
  if (stepsRun > 0 || request.outcome.kind !== 'continue' || waiting || left <= 0) return request;
  return { ...request, unfinishedClaimsLeft: left };
}

/**
 * Why the run fails instead of running its step again: this claim is the
 * job's `crashLimit`-th in a row that no step-running commit followed. It
 * names the step the last of them was running (`leaseStep`), or, when that
 * one did not record it, the step the run was committed at.
 */
export function crashMessage(job: { crashLimit: number }, run: RunRecord): string | undefined {
  const claims = unfinishedClaims(run);
  if (claims < job.crashLimit) return undefined;
  const died = claims - 1;
  // The previous holder's record of the step it ran, if it wrote one (an
  // older holder's is told apart by its claim count).
  const running = run.leaseStep?.claim === died ? run.leaseStep : run;
  const since =
    run.unfinishedSince === undefined
      ? ''
      : ` since ${new Date(run.unfinishedSince).toISOString()}`;
  const known =
    run.lastError === undefined
      ? 'none recorded an error, so each process died (out of memory, process.exit, a crash) or ran past the function timeout'
      : `the last error recorded: ${run.lastError}`;
  return (
    `step '${running.step}' (attempt ${running.attempt}) was started by ${died} invocation${died === 1 ? '' : 's'} in a row${since} ` +
    `that ended without committing; ${known}. The job fails here (crashLimit ${job.crashLimit}) instead of running the step again.`
  );
}
