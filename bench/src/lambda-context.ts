import { randomUUID } from 'node:crypto';

/** The Lambda context fields the three handlers read (Powertools reads the most). */
export interface BenchLambdaContext {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  done(): void;
  fail(): void;
  succeed(): void;
}

/**
 * A context whose deadline is `timeoutMs` from now. `requestId` is the Lambda
 * request id: the same for Lambda's retries of one event, fresh for a duplicate delivery.
 */
export function lambdaContext(
  timeoutMs = 60_000,
  requestId: string = randomUUID(),
): BenchLambdaContext {
  const deadline = Date.now() + timeoutMs;
  return {
    awsRequestId: requestId,
    functionName: 'bench-poll',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench-poll',
    memoryLimitInMB: '1024',
    logGroupName: '/aws/lambda/bench-poll',
    logStreamName: 'bench',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
