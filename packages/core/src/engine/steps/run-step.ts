import type { Job, StepContext } from '../../job/define-job.js';
import { isTransition, type Transition } from '../../job/transitions.js';
import { cutAt, describeThrown, safeStringify } from '../../logging/loggable.js';
import { createRedactor } from '../../logging/secret-redactor.js';
import { asError } from '../../thrown-value.js';
import type { Clock } from '../clock.js';

/** Raised inside a step's promise race when the time budget runs out. */
export class StepTimeoutError extends Error {
  /**
   * @param budget `'whole'` when the step had all the time an invocation
   *   gives: then it needs more time than the function's timeout allows.
   */
  public constructor(step: string, budgetMs: number, budget: 'rest' | 'whole' = 'rest') {
    super(
      budget === 'whole'
        ? `step '${step}' did not finish within a whole invocation's budget of ${budgetMs} ms: it needs more time than the function's timeout gives (raise the Lambda function's timeout, or split the step and return wait() to poll)`
        : `step '${step}' did not finish within the invocation's time budget (${budgetMs} ms)`,
    );
    this.name = 'StepTimeoutError';
  }
}

/** What running one step gave. */
export type StepResult =
  | { ok: true; transition: Transition<Record<string, unknown>> }
  | { ok: false; error: Error; retryable: boolean };

/**
 * Runs one step handler, racing it against the time budget. A thrown error, a
 * budget overrun or a return value that is not a transition become a failed
 * result; the caller applies the retry policy.
 */
export async function runStep<S extends object, P>(
  job: Job<S, P>,
  context: Omit<StepContext<S, P>, 'signal' | 'remainingTimeMs'>,
  budgetEnd: number,
  clock: Clock,
): Promise<StepResult> {
  const handler = job.handler(context.step);
  if (!handler) {
    return {
      ok: false,
      retryable: false,
      error: new Error(
        `step '${context.step}' is not defined in job ${job.name} (steps: ${job.stepNames.join(', ')})`,
      ),
    };
  }
  const budgetMs = Math.max(0, budgetEnd - clock.now());
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new StepTimeoutError(context.step, budgetMs);
      controller.abort(error);
      reject(error);
    }, budgetMs);
  });
  const full: StepContext<S, P> = {
    ...context,
    signal: controller.signal,
    remainingTimeMs: () => Math.max(0, budgetEnd - clock.now()),
  };
  try {
    const value: unknown = await Promise.race([
      Promise.resolve().then(() => handler(full)),
      timedOut,
    ]);
    if (!isTransition(value)) {
      // Secrets are redacted before the description is cut.
      const redact = createRedactor(Object.values(context.artifactCredentials ?? {}));
      return {
        ok: false,
        retryable: false,
        error: new TypeError(
          `step '${context.step}' returned ${describe(value, redact)}, not a transition: return goTo(), wait(), succeed() or fail()`,
        ),
      };
    }
    return { ok: true, transition: value as Transition<Record<string, unknown>> };
  } catch (err) {
    // A thrown non-Error keeps its name (for nonRetryableErrors) and message.
    return { ok: false, error: asError(err), retryable: true };
  } finally {
    clearTimeout(timer);
  }
}

function describe(value: unknown, redact: (text: string) => string): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  const text =
    typeof value === 'object'
      ? safeStringify(value, { redact, limits: { maxDepth: 3, maxEntries: 10 } })
      : `${typeof value} ${redact(describeThrown(value))}`;
  return text.length > 200 ? `${cutAt(text, 200)}…` : text;
}
