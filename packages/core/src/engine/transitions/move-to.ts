import { serializeState } from '../steps/state.js';
import type { TransitionInput, Verdict } from './verdict.js';
import { failRun } from './verdict.js';

/** Where a `goTo` or `wait` leads: the checked next step and state. */
export interface Move {
  nextStep: string;
  stateJson: string | undefined;
}

/**
 * Checks the step a `goTo` or `wait` names and merges its state update, or
 * gives the verdict that fails the run.
 *
 * @example
 * ```ts
 * const move = moveTo('goTo', t.step, t.state, input);
 * if ('kind' in move) return move; // the run fails
 * ```
 */
export function moveTo(
  kind: 'goTo' | 'wait',
  nextStep: string,
  update: object | undefined,
  input: TransitionInput,
): Move | Verdict {
  const { job, cursor } = input;
  if (job.handler(nextStep) === undefined) {
    const message = `step '${cursor.step}' returned ${kind} to unknown step '${nextStep}' (steps: ${job.stepNames.join(', ')})`;
    return failRun(input, message, { outcome: 'fail', detail: message });
  }
  if (update === undefined) return { nextStep, stateJson: cursor.stateJson };
  try {
    const stateJson = serializeState(
      { ...input.state, ...update },
      job.maxStateBytes,
      `the state after step '${cursor.step}'`,
    );
    return { nextStep, stateJson };
  } catch (err) {
    const message = (err as Error).message;
    return failRun(input, `job ${job.name}: ${message}`, { outcome: 'fail', detail: message });
  }
}
