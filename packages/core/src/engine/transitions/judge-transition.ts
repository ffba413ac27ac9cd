import type { Transition } from '../../job/transitions.js';
import { applyFail } from './fail.js';
import { applyGoTo } from './go-to.js';
import { applySucceed } from './succeed.js';
import type { TransitionInput, Verdict } from './verdict.js';
import { applyWait } from './wait.js';

/**
 * Hands a transition to the module of its kind.
 *
 * @example
 * ```ts
 * const verdict = judgeTransition(result.transition, input);
 * ```
 */
export function judgeTransition(t: Transition<object>, input: TransitionInput): Verdict {
  switch (t.kind) {
    case 'goTo':
      return applyGoTo(t, input);
    case 'wait':
      return applyWait(t, input);
    case 'succeed':
      return applySucceed(t, input);
    case 'fail':
      return applyFail(t, input);
  }
}
