import { ReportValidationError } from '../errors.js';
import { FailureType } from '../job/transitions.js';
import { cutAt } from '../logging/loggable.js';

/** CodePipeline API limits Baton checks before sending a result. */
export const CodePipelineLimits = {
  continuationTokenMax: 2048,
  summaryMax: 2048,
  externalExecutionIdMax: 1500,
  failureMessageMax: 5000,
  outputVariablesTotalBytes: 122_880,
  outputVariableKey: /^[A-Za-z0-9@\-_]+$/,
} as const;

const FAILURE_TYPES = new Set<string>(Object.values(FailureType));

/**
 * Cuts text to `max` characters, marking the cut with an ellipsis, and makes
 * an empty string `undefined` (CodePipeline rejects empty summaries). A
 * surrogate pair is never cut in half. Redact secrets before calling it: a
 * cut can split a secret so that no longer matches.
 *
 * @example
 * ```ts
 * fitText('x'.repeat(3000), 2048)?.length; // 2048
 * ```
 */
export function fitText(text: string | undefined, max: number): string | undefined {
  if (text === undefined || text.length === 0) return undefined;
  return text.length <= max ? text : `${cutAt(text, max - 1)}…`;
}

/**
 * Checks output variables against CodePipeline's rules; returns a message
 * naming the first problem, or `undefined` when they are fine.
 *
 * @example
 * ```ts
 * outputVariablesProblem({ 'bad key': 'x' }); // "output variable key 'bad key' …"
 * ```
 */
export function outputVariablesProblem(
  variables: Record<string, unknown> | undefined,
): string | undefined {
  if (variables === undefined) return undefined;
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
    return 'outputVariables must be an object of string values';
  }
  let bytes = 0;
  for (const [key, value] of Object.entries(variables)) {
    if (!CodePipelineLimits.outputVariableKey.test(key)) {
      return `output variable key ${JSON.stringify(key)} is invalid: keys may hold only A-Z, a-z, 0-9, @, - and _`;
    }
    if (typeof value !== 'string') {
      return `output variable ${key} must be a string, got ${value === null ? 'null' : typeof value}`;
    }
    bytes += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
  }
  if (bytes > CodePipelineLimits.outputVariablesTotalBytes) {
    return `output variables total ${bytes} bytes, over CodePipeline's limit of ${CodePipelineLimits.outputVariablesTotalBytes} bytes`;
  }
  return undefined;
}

/**
 * Throws {@link ReportValidationError} unless `percent` is an integer 0–100.
 *
 * @example
 * ```ts
 * assertPercent(50); // ok
 * ```
 */
export function assertPercent(percent: number | undefined): void {
  if (percent === undefined) return;
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new ReportValidationError(`percentComplete must be an integer 0–100, got ${percent}`);
  }
}

/**
 * Throws {@link ReportValidationError} unless `type` is a CodePipeline failure type.
 *
 * @example
 * ```ts
 * assertFailureType('JobFailed'); // ok
 * ```
 */
export function assertFailureType(type: string): void {
  if (!FAILURE_TYPES.has(type)) {
    throw new ReportValidationError(
      `failure type ${JSON.stringify(type)} is not one of ${[...FAILURE_TYPES].join(', ')}`,
    );
  }
}
