/**
 * What the engine tells the outside world while it works: the port behind
 * metrics and tracing. The engine calls it at its events and knows nothing of
 * the formats behind it (CloudWatch EMF, OpenTelemetry).
 */

/** How an invocation ended, as observed. */
export const ObservedInvocationEnd = {
  Reported: 'reported',
  Resent: 'resent',
  InProgress: 'in-progress',
  Stale: 'stale',
  Rejected: 'rejected',
  LeaseLost: 'lease-lost',
  /** The invocation threw (Lambda retries it). */
  Threw: 'threw',
} as const;
export type ObservedInvocationEnd =
  (typeof ObservedInvocationEnd)[keyof typeof ObservedInvocationEnd];

/** How a run ended, as observed. */
export const ObservedRunEnd = {
  Succeeded: 'succeeded',
  Failed: 'failed',
  /** CodePipeline no longer accepts the run's job (see `RunStatus.Abandoned`). */
  Abandoned: 'abandoned',
} as const;
export type ObservedRunEnd = (typeof ObservedRunEnd)[keyof typeof ObservedRunEnd];

/** The request kinds whose time is observed. */
export const ObservedService = {
  DynamoDB: 'dynamodb',
  CodePipeline: 'codepipeline',
} as const;
export type ObservedService = (typeof ObservedService)[keyof typeof ObservedService];

/** An error as observers see it: name and message, secrets already redacted by the engine. */
export interface ObservedError {
  name: string;
  message: string;
}

/** Known at the start of an invocation. */
export interface InvocationStart {
  jobName: string;
  /** CodePipeline job id. */
  jobId: string;
  /** Lambda request id, when known. */
  requestId?: string;
}

/** The run an invocation works on, once claimed (or found by a failed claim). */
export interface ObservedRun {
  runId: string;
  /** `jobSeq` of this invocation's job. */
  sequence: number;
  /** W3C `traceparent` of the run's first invocation, as stored with the run. */
  traceParent?: string;
}

/** How one step call ended. */
export interface StepEnd {
  /** The transition returned (`goTo`, `wait`, `succeed`, `fail`), or `error` when it threw. */
  result: 'goTo' | 'wait' | 'succeed' | 'fail' | 'error';
  durationMs: number;
  /** The error thrown, when `result` is `error`, with secrets already redacted. */
  error?: ObservedError;
  /** `true` when the error will be retried (a later attempt of the same step). */
  willRetry?: boolean;
}

/** Observes one step call. */
export interface StepObservation {
  /** Runs the step handler inside this step's trace context (spans it makes nest under the step). */
  within<T>(fn: () => Promise<T>): Promise<T>;
  /** The step returned or threw. Called once. */
  ended(end: StepEnd): void;
}

/** Observes one invocation, from its job id to its end. */
export interface InvocationObservation {
  /** Runs the invocation inside its trace context. */
  within<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * The `traceparent` to store with a run this invocation creates, so later
   * invocations can link to it; `undefined` when nothing is traced.
   */
  traceParent(): string | undefined;
  /** The run is known (claimed, or found by a failed claim). */
  run(run: ObservedRun): void;
  /** This invocation created the run. */
  runStarted(): void;
  /** A step is about to run. */
  stepStarted(step: { step: string; attempt: number }): StepObservation;
  /** The run was handed on to the next job without running a step (a wait not yet over). */
  handedOnWithoutStep(): void;
  /** The run reached its end in this invocation (committed). */
  runEnded(end: { status: ObservedRunEnd; durationMs: number }): void;
  /**
   * An earlier claim of this job ended without a commit (the invocation died,
   * timed out or threw): counted on the run, and at the job's `crashLimit`
   * the run fails (`runEnded` with `failed` follows).
   */
  crashCounted(): void;
  /** A report to CodePipeline failed and is tried again. */
  reportRetried(): void;
  /** A request to DynamoDB or CodePipeline took `durationMs` (retries inside included). */
  request(service: ObservedService, operation: string, durationMs: number): void;
  /** The invocation ended. Called once, last. */
  ended(end: { kind: ObservedInvocationEnd; error?: ObservedError }): void;
}

/**
 * Observes every invocation of one handler: created once per container.
 *
 * @example
 * ```ts
 * const observer = combineObservers(emfMetrics({ namespace: 'Deploys' }), otelTracing());
 * export const handler = createLambdaHandler(job, { observer });
 * ```
 */
export interface RunObserver {
  /** Resolves once the observer can observe (e.g. an optional library is loaded). */
  ready?(): Promise<void>;
  /** An invocation with a job id starts. */
  invocation(start: InvocationStart): InvocationObservation;
}

const passThrough = <T>(fn: () => Promise<T>): Promise<T> => fn();
const noStep: StepObservation = { within: passThrough, ended: () => {} };
const noInvocation: InvocationObservation = {
  within: passThrough,
  traceParent: () => undefined,
  run: () => {},
  runStarted: () => {},
  stepStarted: () => noStep,
  handedOnWithoutStep: () => {},
  runEnded: () => {},
  crashCounted: () => {},
  reportRetried: () => {},
  request: () => {},
  ended: () => {},
};

/**
 * An observer that observes nothing.
 *
 * @example
 * ```ts
 * createLambdaHandler(job, { observer: noopObserver });
 * ```
 */
export const noopObserver: RunObserver = { invocation: () => noInvocation };
