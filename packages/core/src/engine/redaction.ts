import { cutAt, describeThrown } from '../logging/loggable.js';
import { redactText } from '../logging/redacting-logger.js';
import { CodePipelineLimits, fitText } from '../pipeline/limits.js';
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
  // Redacted before it is cut: a cut could split a secret so that it no longer matches.
  const text = redactText(describeThrown(err), secrets);
  return text.length > 1000 ? `${cutAt(text, 1000)}…` : text;
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
  // Redact first, then fit CodePipeline's limits.
  if (outcome.kind === 'fail') {
    const message = fitText(
      redactText(outcome.message, secrets),
      CodePipelineLimits.failureMessageMax,
    );
    return { ...outcome, message: message ?? outcome.failureType };
  }
  const fitted = fitText(
    outcome.summary === undefined ? undefined : redactText(outcome.summary, secrets),
    CodePipelineLimits.summaryMax,
  );
  const summary = fitted === undefined ? {} : { summary: fitted };
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
