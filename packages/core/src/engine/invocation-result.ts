import type { Logger } from '../logging/logger.js';
import type { RunObserver } from '../observe/run-observer.js';
import type { Outcome } from '../store/run-record.js';
import type { Clock } from './clock.js';
import type { Reporter, ReportStatus } from './ports/reporter.js';
import type { RunStore } from './ports/run-store.js';

/** What one invocation did. */
export const InvocationResultKind = {
  /** Ran the run (steps, or a wait not yet over) and reported a new outcome. */
  Reported: 'reported',
  /** Duplicate of a job already committed: its stored outcome was sent again. */
  Resent: 'resent',
  /**
   * Duplicate of a job another live invocation holds (running its steps, or
   * reporting the outcome it committed): returned quietly.
   */
  InProgress: 'in-progress',
  /** A job of an older `jobSeq`: returned quietly. */
  Stale: 'stale',
  /** Bad configuration or token: reported as `ConfigurationError`. */
  Rejected: 'rejected',
  /** The lease was taken over before the commit: nothing reported. */
  LeaseLost: 'lease-lost',
} as const;
export type InvocationResultKind = (typeof InvocationResultKind)[keyof typeof InvocationResultKind];

/** The result of `runInvocation`. */
export interface InvocationResult {
  kind: InvocationResultKind;
  jobId: string;
  runId?: string;
  /** The outcome reported (or re-sent). */
  outcome?: Outcome;
  reportStatus?: ReportStatus;
  /** Step handlers called in this invocation. */
  stepsRun: number;
}

/** What the engine needs around a job. */
export interface EngineDependencies {
  /** Where runs live (`DynamoDBRunStore` in production). */
  store: RunStore;
  /** Where outcomes go (`CodePipelineReporter` in production). */
  reporter: Reporter;
  logger: Logger;
  /** @default the system clock */
  clock?: Clock;
  /**
   * Told of the engine's events (invocation results, steps, run ends,
   * request times): metrics and tracing. See `createLambdaHandler`'s `metrics`
   * and `tracing` options.
   * @default none
   */
  observer?: RunObserver;
  /**
   * Time kept free at the end of the invocation for the commit and the report, in ms.
   * @default min(3000, a quarter of the invocation's time)
   */
  safetyMarginMs?: number;
  /**
   * Days a run's items are kept after their last write (DynamoDB TTL).
   * @default 30
   */
  retentionDays?: number;
  /**
   * A delivery with the lease holder's Lambda request id is taken for Lambda's
   * retry of a dead attempt, and takes the lease over, once the lease is at
   * least this old. Lambda retries a failed attempt about a minute after it
   * ended; a duplicate of a live delivery comes sooner and returns quietly.
   * Tests that compress time set it to 0.
   * @default 50000
   */
  retryTakeoverAfterMs?: number;
}
