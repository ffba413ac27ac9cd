/**
 * The parts of Lambda's context object Baton uses. The real `Context` of
 * `aws-lambda` fits; tests can pass `{ getRemainingTimeInMillis: () => 60_000 }`.
 */
export interface LambdaContext {
  /** Milliseconds left before Lambda stops the invocation. */
  getRemainingTimeInMillis(): number;
  /** The invocation's request id, used in logs. */
  awsRequestId?: string;
  /** The function's name, used in logs. */
  functionName?: string;
}
