/**
 * The Lambda context object the emulator passes to handlers: the fields of the
 * Node.js runtime's context that handlers read. Baton's `LambdaContext` and
 * `aws-lambda`'s `Context` (minus deprecated callbacks) both accept it.
 */
export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  /** Stays the same across Lambda's retries and duplicate deliveries of one event. */
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  /** Milliseconds left before the function timeout ends the invocation. */
  getRemainingTimeInMillis(): number;
}

/** What a {@link LambdaContext} is made from; plain data, so it crosses to a worker. */
export interface LambdaContextInit {
  functionName: string;
  awsRequestId: string;
  region: string;
  accountId: string;
  memoryLimitInMB: number;
  /** Epoch milliseconds at which the function timeout strikes. */
  deadlineMs: number;
  /** Names the emulated container, as Lambda's log stream names the execution environment. */
  containerId: string;
}

/**
 * Builds the context object of one invocation.
 *
 * @example
 * ```ts
 * const context = createLambdaContext({
 *   functionName: 'my-function', awsRequestId: randomUUID(), region: 'us-east-1',
 *   accountId: '123456789012', memoryLimitInMB: 1024, deadlineMs: Date.now() + 30_000,
 *   containerId: 'c1',
 * });
 * context.getRemainingTimeInMillis(); // ~30000
 * ```
 */
export function createLambdaContext(init: LambdaContextInit): LambdaContext {
  return {
    functionName: init.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${init.region}:${init.accountId}:function:${init.functionName}`,
    memoryLimitInMB: String(init.memoryLimitInMB),
    awsRequestId: init.awsRequestId,
    logGroupName: `/aws/lambda/${init.functionName}`,
    logStreamName: `emulated/[$LATEST]${init.containerId}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, init.deadlineMs - Date.now()),
  };
}
