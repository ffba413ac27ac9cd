import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../engine/clock.js';
import type { InvocationResult } from '../engine/invocation-result.js';
import { runInvocation } from '../engine/run-invocation.js';
import { readJobId, secretsOf } from '../event/job-event.js';
import type { Job } from '../job/define-job.js';
import { checkNumber } from '../job/option-checks.js';
import { createJsonLogger, type Logger } from '../logging/logger.js';
import { redactingLogger } from '../logging/redacting-logger.js';
import { combineObservers } from '../observe/combine-observers.js';
import { type EmfMetricsOptions, emfMetrics } from '../observe/emf/emf-metrics.js';
import { noopObserver, type RunObserver } from '../observe/run-observer.js';
import { type OtelTracingOptions, otelTracing } from '../observe/tracing/otel-tracing.js';
import { CodePipelineReporter } from '../pipeline/codepipeline-reporter.js';
import { DynamoDBRunStore } from '../store/dynamodb/dynamodb-run-store.js';
import type { LambdaContext } from './lambda-context.js';

/** Options of {@link createLambdaHandler}. Everything has a default read from the environment. */
export interface LambdaHandlerOptions {
  /**
   * The run table.
   * @default process.env.BATON_TABLE_NAME
   */
  tableName?: string;
  /**
   * DynamoDB client.
   * @default new DynamoDBClient({}) — region, credentials and `AWS_ENDPOINT_URL_DYNAMODB` from the environment
   */
  dynamoDBClient?: DynamoDBClient;
  /**
   * CodePipeline client. Baton retries reports itself within the invocation's time.
   * @default new CodePipelineClient({ maxAttempts: 1 }) — `AWS_ENDPOINT_URL_CODEPIPELINE` etc. from the environment
   */
  codePipelineClient?: CodePipelineClient;
  /**
   * Where logs go (Powertools Logger fits as is). Baton redacts secrets before it.
   * @default JSON lines on stdout at `AWS_LAMBDA_LOG_LEVEL` (INFO)
   */
  logger?: Logger;
  /** Time source. @default the system clock */
  clock?: Clock;
  /**
   * Milliseconds kept free at the end of each invocation for commit and
   * report (0 to 900000).
   * @default min(3000, a quarter of the invocation's time)
   */
  safetyMarginMs?: number;
  /**
   * Days a run is kept in the table after its last write (TTL). From 1 to
   * 3650, and longer than the job's `deadlineSeconds`, so TTL never deletes
   * a live run.
   * @default 30
   */
  retentionDays?: number;
  /**
   * Age a lease must have before a delivery with the holder's request id (a
   * Lambda retry) takes it over (0 to 900000). See
   * `EngineDependencies.retryTakeoverAfterMs`.
   * @default 50000
   */
  retryTakeoverAfterMs?: number;
  /**
   * Metrics in CloudWatch's embedded metric format, one JSON line per
   * invocation on stdout beside the logs (no AWS request; CloudWatch Logs
   * extracts them). Options set the namespace (`'Baton'`) and the
   * `ServiceName` dimension (the function's name); `false` switches them off.
   * @default on, with emfMetrics' defaults
   */
  metrics?: false | EmfMetricsOptions;
  /**
   * OpenTelemetry spans per invocation and per step. `false` switches tracing
   * off; options pass the API module (needed in a bundle) or a provider.
   * @default on when an OpenTelemetry SDK registered a global tracer provider
   *   (ADOT's Lambda layer does) and `@opentelemetry/api` can be loaded; else nothing
   */
  tracing?: false | OtelTracingOptions;
  /**
   * Another observer of the engine's events, beside metrics and tracing.
   * @default none
   */
  observer?: RunObserver;
}

/** A Lambda handler for a CodePipeline invoke action. */
export type CodePipelineLambdaHandler = (
  event: unknown,
  context: LambdaContext,
) => Promise<InvocationResult>;

/**
 * Wraps a job as the Lambda handler of a CodePipeline invoke action. Clients
 * are created once, when this is called at module load, and reused by every
 * invocation of the container.
 *
 * @example
 * ```ts
 * // index.ts — handler "index.handler", env BATON_TABLE_NAME=baton-runs
 * import { createLambdaHandler } from '@baton/core';
 * import { job } from './job.js';
 *
 * export const handler = createLambdaHandler(job);
 * ```
 */
export function createLambdaHandler<S extends object, P>(
  job: Job<S, P>,
  options: LambdaHandlerOptions = {},
): CodePipelineLambdaHandler {
  checkHandlerOptions(job, options);
  const logger = options.logger ?? createJsonLogger({ attributes: { service: 'baton' } });
  const dynamoDBClient = options.dynamoDBClient ?? new DynamoDBClient({});
  const codePipelineClient =
    options.codePipelineClient ?? new CodePipelineClient({ maxAttempts: 1 });
  const tableName = options.tableName ?? process.env.BATON_TABLE_NAME;
  const reporter = new CodePipelineReporter({ client: codePipelineClient, logger });
  const store = tableName ? new DynamoDBRunStore({ tableName, client: dynamoDBClient }) : undefined;
  const observer = handlerObserver(options);

  return async (event, context) => {
    if (!store) {
      // Without a table nothing can be tracked: fail the action once, and
      // return (a retry cannot help, so Lambda must not retry).
      const jobId = readJobId(event);
      const message =
        "BATON_TABLE_NAME is not set: set it on the Lambda function to the name of Baton's DynamoDB table";
      redactingLogger(logger, secretsOf(event)).error(message, { jobId });
      const outcome = {
        kind: 'fail',
        jobId,
        jobSeq: 0,
        failureType: 'ConfigurationError',
        message,
      } as const;
      const reportStatus = await reporter.report(
        outcome,
        jobId,
        context.getRemainingTimeInMillis() - REPORT_GUARD_MS,
      );
      return { kind: 'rejected', jobId, outcome, reportStatus, stepsRun: 0 };
    }
    return runInvocation(job, event, context, {
      store,
      reporter,
      logger,
      ...(observer === noopObserver ? {} : { observer }),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.safetyMarginMs === undefined ? {} : { safetyMarginMs: options.safetyMarginMs }),
      ...(options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays }),
      ...(options.retryTakeoverAfterMs === undefined
        ? {}
        : { retryTakeoverAfterMs: options.retryTakeoverAfterMs }),
    });
  };
}

/** Kept free after the last report attempt, so the invocation ends by itself. */
const REPORT_GUARD_MS = 1000;

/** Checks the numeric options once, when the handler is created. */
function checkHandlerOptions<S extends object, P>(
  job: Job<S, P>,
  options: LambdaHandlerOptions,
): void {
  const where = `createLambdaHandler(${job.name})`;
  if (options.retentionDays !== undefined) {
    checkNumber(`${where}: retentionDays`, options.retentionDays, {
      min: Math.max(1, Math.ceil(job.deadlineSeconds / 86_400)),
      max: MAX_RETENTION_DAYS,
      why: `TTL must not delete a run before its deadline of ${job.deadlineSeconds} s`,
    });
  }
  for (const key of ['safetyMarginMs', 'retryTakeoverAfterMs'] as const) {
    if (options[key] !== undefined) {
      checkNumber(`${where}: ${key}`, options[key], { min: 0, max: MAX_INVOCATION_MS });
    }
  }
}

/** Longest `retentionDays`: ten years. */
const MAX_RETENTION_DAYS = 3650;
/** A Lambda invocation lasts at most 15 minutes. */
const MAX_INVOCATION_MS = 15 * 60 * 1000;

/** Metrics, tracing and the caller's observer, as one (`noopObserver` when all are off). */
function handlerObserver(options: LambdaHandlerOptions): RunObserver {
  const clock = options.clock;
  return combineObservers(
    ...(options.metrics === false
      ? []
      : [emfMetrics({ ...(clock ? { now: () => clock.now() } : {}), ...options.metrics })]),
    ...(options.tracing === false ? [] : [otelTracing(options.tracing)]),
    ...(options.observer ? [options.observer] : []),
  );
}
