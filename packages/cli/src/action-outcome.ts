import type { LambdaActionResult } from '@baton/testing';
import { formatColumns, formatDuration } from './text-format.js';

/**
 * How a played action ended, for people: status, counts, times, the last
 * summary and the output variables (or the failure).
 *
 * @example
 * ```ts
 * out.write(formatActionOutcome(result));
 * // outcome: Succeeded after 4 jobs and 6 invocations (14.2s real, 3m 05s pipeline time)
 * ```
 */
export function formatActionOutcome(result: LambdaActionResult): string {
  const jobs = `${result.jobs.length} job${result.jobs.length === 1 ? '' : 's'}`;
  const invocations = `${result.invocations.length} invocation${result.invocations.length === 1 ? '' : 's'}`;
  const lines = [
    `outcome: ${result.status} after ${jobs} and ${invocations} ` +
      `(${formatDuration(result.elapsedMs)} real, ${formatDuration(result.pipelineMs)} pipeline time)`,
  ];
  if (result.status === 'Failed') {
    lines.push(`  reason: ${result.reason}`);
    if (result.failureDetails) {
      lines.push(`  failure: ${result.failureDetails.type}: ${result.failureDetails.message}`);
    }
  }
  const summary = result.executionDetails?.summary;
  if (summary && result.status === 'Succeeded') lines.push(`  summary: ${summary}`);
  const variables = Object.entries(result.outputVariables);
  if (variables.length > 0) {
    lines.push('  output variables:');
    lines.push(formatColumns(variables.map(([name, value]) => [`    ${name}`, value])));
  }
  return `${lines.join('\n')}\n`;
}
