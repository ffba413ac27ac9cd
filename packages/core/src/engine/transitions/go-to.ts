import type { GoToTransition } from '../../job/transitions.js';
import { moveTo } from './move-to.js';
import { malformed, stepNameProblem, type TransitionInput, type Verdict } from './verdict.js';

/**
 * `goTo(step, state)`: the next step runs at once (a new visit, attempt 1).
 *
 * @example
 * ```ts
 * applyGoTo(goTo('poll', { id }), input); // { kind: 'next', cursor: { step: 'poll', … } }
 * ```
 */
export function applyGoTo(t: GoToTransition<object>, input: TransitionInput): Verdict {
  const problem = stepNameProblem(t.step);
  if (problem) return malformed(input, t.kind, problem);
  const move = moveTo('goTo', t.step, t.state, input);
  if ('kind' in move) return move;
  const { resumeAt: _none, lastError: _cleared, ...cursor } = input.cursor;
  return {
    kind: 'next',
    cursor: {
      ...cursor,
      step: move.nextStep,
      attempt: 1,
      visit: input.cursor.visit + 1,
      ...(move.stateJson === undefined ? {} : { stateJson: move.stateJson }),
    },
    note: { outcome: 'goTo', detail: move.nextStep },
  };
}
