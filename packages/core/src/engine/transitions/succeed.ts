import type { SucceedTransition } from '../../job/transitions.js';
import { outputVariablesProblem } from '../../pipeline/limits.js';
import {
  failRun,
  malformed,
  optionalSummary,
  summaryProblem,
  type TransitionInput,
  type Verdict,
} from './verdict.js';

/**
 * `succeed({ outputVariables, summary })`: the run ends well, once its output
 * variables are ones CodePipeline accepts.
 *
 * @example
 * ```ts
 * applySucceed(succeed({ outputVariables: { id: 'd-1' } }), input); // { kind: 'final', … }
 * ```
 */
export function applySucceed(t: SucceedTransition, input: TransitionInput): Verdict {
  const problem = summaryProblem(t.summary);
  if (problem) return malformed(input, t.kind, problem);
  const variablesProblem = outputVariablesProblem(t.outputVariables);
  if (variablesProblem) {
    return failRun(
      input,
      `step '${input.cursor.step}' succeeded with unusable output: ${variablesProblem}`,
      { outcome: 'fail', detail: variablesProblem },
    );
  }
  return {
    kind: 'final',
    outcome: {
      kind: 'succeed',
      jobId: input.jobId,
      jobSeq: input.jobSeq,
      ...(t.outputVariables && Object.keys(t.outputVariables).length > 0
        ? { outputVariables: { ...t.outputVariables } }
        : {}),
      ...optionalSummary(t.summary),
    },
    cursor: input.cursor,
    note: { outcome: 'succeed', detail: t.summary },
  };
}
