import type { WaitTransition } from '../../job/transitions.js';
import { moveTo } from './move-to.js';
import {
  failRun,
  malformed,
  optionalSummary,
  stepNameProblem,
  summaryProblem,
  type TransitionInput,
  type Verdict,
} from './verdict.js';

/**
 * `wait({ seconds, … })`: the step (or `step`) runs again once `seconds` have
 * passed; the progress is what the console shows meanwhile. Moving to another
 * step starts a new visit; waiting on the same step keeps it.
 *
 * @example
 * ```ts
 * applyWait(wait({ seconds: 30, percentComplete: 40 }), input); // resumeAt = now + 30 s
 * ```
 */
export function applyWait(t: WaitTransition<object>, input: TransitionInput): Verdict {
  const problem =
    summaryProblem(t.summary) ?? (t.step === undefined ? undefined : stepNameProblem(t.step));
  if (problem) return malformed(input, t.kind, problem);
  const { cursor } = input;
  const move = moveTo('wait', t.step ?? cursor.step, t.state, input);
  if ('kind' in move) return move;
  if (!(Number.isFinite(t.seconds) && t.seconds >= 0)) {
    return failRun(
      input,
      `step '${cursor.step}' returned wait() with seconds=${t.seconds}; expected a number ≥ 0`,
    );
  }
  if (
    t.percentComplete !== undefined &&
    !(Number.isInteger(t.percentComplete) && t.percentComplete >= 0 && t.percentComplete <= 100)
  ) {
    return failRun(
      input,
      `step '${cursor.step}' returned wait() with percentComplete=${t.percentComplete}; expected an integer 0–100`,
    );
  }
  const resumeAt = input.now + t.seconds * 1000;
  if (resumeAt > input.deadlineAt) {
    return failRun(
      input,
      `step '${cursor.step}' returned wait() with seconds=${t.seconds}, which would end after the run's deadline (${new Date(input.deadlineAt).toISOString()}, deadlineSeconds ${input.job.deadlineSeconds ?? 'of the job'}): the run fails now instead of waiting past it`,
    );
  }
  const { lastError: _cleared, ...rest } = cursor;
  return {
    kind: 'next',
    cursor: {
      ...rest,
      step: move.nextStep,
      attempt: 1,
      visit: move.nextStep === cursor.step ? cursor.visit : cursor.visit + 1,
      resumeAt,
      progress: {
        ...(t.percentComplete === undefined ? {} : { percentComplete: t.percentComplete }),
        ...optionalSummary(t.summary),
      },
      ...(move.stateJson === undefined ? {} : { stateJson: move.stateJson }),
    },
    note: {
      outcome: 'wait',
      detail: `${t.seconds} s${t.summary ? `: ${t.summary}` : ''}`,
    },
  };
}
