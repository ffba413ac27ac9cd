import type { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Error names that mean "a conditional write lost": the contention signal of the scale test. */
export const CONDITION_FAILURES = [
  'ConditionalCheckFailedException',
  'TransactionCanceledException',
];

/**
 * Counts the HTTP requests SDK clients send, by operation, the errors they
 * get back, by name, and the time spent waiting for them. Several clients may
 * share one counter (one per simulated Lambda container).
 */
export class RequestCounter {
  public requests: Record<string, number> = {};
  public errors: Record<string, number> = {};
  /** Wall milliseconds from sending a request to its parsed answer, by operation. */
  public elapsedMs: Record<string, number> = {};

  public get total(): number {
    return Object.values(this.requests).reduce((a, b) => a + b, 0);
  }

  public get totalElapsedMs(): number {
    return Object.values(this.elapsedMs).reduce((a, b) => a + b, 0);
  }

  public get conditionFailures(): number {
    return CONDITION_FAILURES.reduce((n, name) => n + (this.errors[name] ?? 0), 0);
  }

  public reset(): void {
    this.requests = {};
    this.errors = {};
    this.elapsedMs = {};
  }

  /**
   * Adds the counting middleware. `finalizeRequest` at low priority sits inside
   * the retry middleware, so every attempt is counted, and outside the
   * deserializer, so errors arrive parsed with their service name.
   */
  public attach(client: DynamoDBClient | CodePipelineClient): void {
    (client as DynamoDBClient).middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        this.requests[operation] = (this.requests[operation] ?? 0) + 1;
        const started = performance.now();
        try {
          return await next(args);
        } catch (err) {
          const name = err instanceof Error ? err.name : 'Error';
          this.errors[name] = (this.errors[name] ?? 0) + 1;
          throw err;
        } finally {
          this.elapsedMs[operation] =
            (this.elapsedMs[operation] ?? 0) + (performance.now() - started);
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'benchRequestCounter' },
    );
  }
}
