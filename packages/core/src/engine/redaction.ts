import { redactText } from '../logging/redacting-logger.js';
import type { Outcome } from '../store/run-record.js';

/**
 * An error as one line of text, secrets removed, at most 1000 characters.
 *
 * @example
 * ```ts
 * errorText(new TypeError('x'), []); // 'TypeError: x'
 * ```
 */
export function errorText(err: unknown, secrets: readonly string[]): string {
  const text = redactText(
    err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    secrets,
  );
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}

/**
 * The outcome with every text a step wrote (summary, message, output
 * variables) redacted.
 *
 * @example
 * ```ts
 * redactOutcome({ kind: 'fail', jobId, jobSeq: 0, failureType: 'JobFailed', message }, secrets);
 * ```
 */
export function redactOutcome(outcome: Outcome, secrets: readonly string[]): Outcome {
  if (outcome.kind === 'fail') return { ...outcome, message: redactText(outcome.message, secrets) };
  const summary =
    outcome.summary === undefined ? {} : { summary: redactText(outcome.summary, secrets) };
  if (outcome.kind === 'continue') return { ...outcome, ...summary };
  const variables = outcome.outputVariables
    ? {
        outputVariables: Object.fromEntries(
          Object.entries(outcome.outputVariables).map(([k, v]) => [k, redactText(v, secrets)]),
        ),
      }
    : {};
  return { ...outcome, ...summary, ...variables };
}
