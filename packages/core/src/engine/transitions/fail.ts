import { type FailTransition, FailureType } from '../../job/transitions.js';
import {
  failRun,
  malformed,
  summaryProblem,
  type TransitionInput,
  type Verdict,
} from './verdict.js';

const FAILURE_TYPES: ReadonlySet<string> = new Set(Object.values(FailureType));

/**
 * `fail({ message, type })`: the run ends with that failure (`JobFailed`
 * unless a type CodePipeline knows is given).
 *
 * @example
 * ```ts
 * applyFail(fail({ type: 'PermissionError', message: 'denied' }), input);
 * ```
 */
export function applyFail(t: FailTransition, input: TransitionInput): Verdict {
  const problem = failProblem(t);
  if (problem) return malformed(input, t.kind, problem);
  return failRun(
    input,
    t.message || `step '${input.cursor.step}' failed`,
    { outcome: 'fail', detail: t.message },
    t.type ?? 'JobFailed',
  );
}

function failProblem(t: FailTransition): string | undefined {
  const summary = summaryProblem((t as { summary?: unknown }).summary);
  if (summary) return summary;
  if (t.type !== undefined && !FAILURE_TYPES.has(t.type)) {
    return `with type ${JSON.stringify(t.type)}; expected one of ${[...FAILURE_TYPES].join(', ')}`;
  }
  if (typeof t.message !== 'string') {
    return `with a message of type ${typeof t.message}; expected a string`;
  }
  return undefined;
}
