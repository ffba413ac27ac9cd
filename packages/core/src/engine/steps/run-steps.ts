import type { ParsedJobEvent } from '../../event/job-event.js';
import type { Job } from '../../job/define-job.js';
import type { Logger } from '../../logging/logger.js';
import type { InvocationObservation } from '../../observe/run-observer.js';
import type { RunRecord } from '../../store/run-record.js';
import type { InvocationBudget } from '../budget.js';
import type { Lease } from '../claim/lease.js';
import type { Clock } from '../clock.js';
import { type Cursor, cursorOf, type FinalOutcome, finished, idempotencyKey } from '../cursor.js';
import { InvocationHistory } from '../history.js';
import { observedError } from '../observed-error.js';
import { errorText } from '../redaction.js';
import { scoped } from '../scoped-logger.js';
import { judgeTransition } from '../transitions/judge-transition.js';
import { applyStepError } from '../transitions/step-error.js';
import { failureOutcome, type TransitionInput, type Verdict } from '../transitions/verdict.js';
import { runStep, StepTimeoutError } from './run-step.js';
import { loadState } from './state.js';

/** Where the steps of one invocation left the run. */
export type StepsResult =
  | {
      kind: 'ran';
      /** Where the run stands now (already `finished` when `final` is set). */
      cursor: Cursor;
      /** Set when the run ended. */
      final?: FinalOutcome;
      history: InvocationHistory;
      stepsRun: number;
    }
  /** The lease was taken over before a step: nothing may be committed. */
  | { kind: 'lease-lost'; stepsRun: number };

/** What {@link runSteps} works with. */
export interface StepsInput<S extends object, P> {
  job: Job<S, P>;
  run: RunRecord;
  jobId: string;
  parsed: ParsedJobEvent;
  params: P;
  budget: InvocationBudget;
  lease: Lease;
  clock: Clock;
  log: Logger;
  secrets: readonly string[];
  /** Told of each step call (metrics, tracing). */
  observation: InvocationObservation;
}

/**
 * Runs steps from the claimed run's cursor while the run has not ended, the
 * next step may start now (or after a wait short enough to sleep out), and
 * the budget leaves time for it. Every step's result is judged by the module
 * of its transition kind.
 *
 * @example
 * ```ts
 * const steps = await runSteps({ job, run, jobId, parsed, params, budget, lease, clock, log, secrets });
 * ```
 */
export async function runSteps<S extends object, P>(input: StepsInput<S, P>): Promise<StepsResult> {
  const { job, run, budget, clock } = input;
  const history = new InvocationHistory();
  const who = { jobId: input.jobId, jobSeq: run.nextJobSeq };
  let cursor: Cursor = cursorOf(run);
  let stepsRun = 0;
  let slept = false;
  const end = (final: FinalOutcome): StepsResult => ({
    kind: 'ran',
    cursor: finished(cursor, final),
    final,
    history,
    stepsRun,
  });

  for (;;) {
    const now = clock.now();
    if (now >= run.deadlineAt) {
      const message =
        `job ${job.name} passed its deadline of ${job.deadlineSeconds} s ` +
        `(run ${run.runId} started ${new Date(run.createdAt).toISOString()}) while at step '${cursor.step}'`;
      history.record(cursor, { outcome: 'deadline', detail: message }, clock.now());
      return end(failureOutcome(who, message));
    }
    if (cursor.resumeAt !== undefined && cursor.resumeAt > now) {
      const delay = cursor.resumeAt - now;
      if (delay <= job.maxInlineWaitSeconds * 1000 && delay < budget.budgetEnd - now - 1000) {
        await clock.sleep(delay);
        slept = true;
        continue;
      }
      // A bounce (nothing ran) is worth a history line; the end of a wait is not.
      if (history.isEmpty) {
        const detail = `resumes at ${new Date(cursor.resumeAt).toISOString()}`;
        history.record(cursor, { outcome: 'resume-later', detail }, clock.now());
      }
      return { kind: 'ran', cursor, history, stepsRun };
    }
    const left = budget.budgetEnd - now;
    if (left <= 0 || left < budget.minStepBudgetMs) {
      if (budget.cutByReplyWindow && history.isEmpty) {
        const detail = "no time left in the job's reply window: handed on without a step";
        history.record(cursor, { outcome: 'handed-on', detail }, clock.now());
      }
      return { kind: 'ran', cursor, history, stepsRun };
    }

    let state: S;
    try {
      const loaded = loadState(job, input.params, cursor.stateJson);
      state = loaded.state;
      cursor = { ...cursor, stateJson: loaded.stateJson };
    } catch (err) {
      return end(failureOutcome(who, `job ${job.name}: ${(err as Error).message}`));
    }
    if (!(await input.lease.runs(cursor.step, cursor.attempt))) {
      input.log.warn('lease taken over by another invocation; stopping before the next step');
      return { kind: 'lease-lost', stepsRun };
    }
    // A step that is the invocation's first work has its whole budget,
    // unless the job's reply window cut it short.
    const wholeBudget = stepsRun === 0 && !slept && !budget.cutByReplyWindow;
    stepsRun += 1;
    const stopRenewals = input.lease.keepAlive((err) =>
      input.log.warn('lease renewal failed; trying again', { error: err }),
    );
    let verdict: Verdict | 'handed-on';
    try {
      verdict = await stepOnce(input, cursor, state, who, wholeBudget);
    } finally {
      stopRenewals();
    }
    if (input.lease.lost) {
      input.log.warn('lease taken over by another invocation during the step; not committing');
      return { kind: 'lease-lost', stepsRun };
    }
    if (verdict === 'handed-on') {
      // Cut off by the budget after other work: the next invocation runs the
      // same attempt again, from its start.
      const detail = `cut off by the invocation's budget; handed on as attempt ${cursor.attempt}`;
      history.record(cursor, { outcome: 'handed-on', detail }, clock.now());
      return { kind: 'ran', cursor, history, stepsRun };
    }
    if (verdict.note) history.record(cursor, verdict.note, clock.now());
    cursor = verdict.cursor;
    if (verdict.kind === 'final') return end(verdict.outcome);
  }
}

async function stepOnce<S extends object, P>(
  input: StepsInput<S, P>,
  cursor: Cursor,
  state: S,
  who: { jobId: string; jobSeq: number },
  wholeBudget: boolean,
): Promise<Verdict | 'handed-on'> {
  const { job, run, parsed, clock } = input;
  const stepLog = scoped(input.log, { step: cursor.step, attempt: cursor.attempt });
  stepLog.debug('running step');
  const observed = input.observation.stepStarted({ step: cursor.step, attempt: cursor.attempt });
  const startedAt = clock.now();
  const result = await observed.within(() =>
    runStep(
      job,
      {
        runId: run.runId,
        jobId: input.jobId,
        step: cursor.step,
        attempt: cursor.attempt,
        jobSeq: run.nextJobSeq,
        state,
        params: input.params,
        userParameters: parsed.userParameters,
        inputArtifacts: parsed.inputArtifacts,
        outputArtifacts: parsed.outputArtifacts,
        artifactCredentials: parsed.artifactCredentials,
        logger: stepLog,
        idempotencyKey: idempotencyKey(run.runId, cursor),
      },
      input.budget.budgetEnd,
      clock,
    ),
  );
  const durationMs = clock.now() - startedAt;
  const judged: TransitionInput = {
    job,
    cursor,
    state,
    ...who,
    now: clock.now(),
    deadlineAt: run.deadlineAt,
  };
  if (result.ok) {
    observed.ended({ result: result.transition.kind, durationMs });
    return judgeTransition(result.transition, judged);
  }
  let { error, retryable } = result;
  if (error instanceof StepTimeoutError) {
    if (!wholeBudget) {
      const observedEnd = observedError(error, input.secrets);
      observed.ended({ result: 'error', durationMs, error: observedEnd, willRetry: true });
      return 'handed-on';
    }
    // Only a step that had all an invocation can give, and still did not
    // finish, spends an attempt.
    const budgetMs = input.budget.budgetEnd - input.budget.startedAt;
    error = new StepTimeoutError(cursor.step, budgetMs, 'whole');
    retryable = true;
  }
  const text = errorText(error, input.secrets);
  const verdict = applyStepError(
    { error, retryable, text },
    job.retryPolicy(cursor.step),
    judged,
    stepLog,
  );
  observed.ended({
    result: 'error',
    durationMs,
    error: observedError(error, input.secrets),
    willRetry: verdict.kind !== 'final',
  });
  return verdict;
}
