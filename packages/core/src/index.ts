export { DEFAULT_RETRY_TAKEOVER_AFTER_MS } from './engine/budget.js';
export { ClaimClause, claimClauses, claimRefusal, clauseHolds } from './engine/claim/claim-rule.js';
export { type Clock, systemClock } from './engine/clock.js';
export {
  type EngineDependencies,
  type InvocationResult,
  InvocationResultKind,
} from './engine/invocation-result.js';
export { type Reporter, type ReportOptions, ReportStatus } from './engine/ports/reporter.js';
export type {
  AbandonRequest,
  ClaimRequest,
  ClaimResult,
  CommitRequest,
  ListRunsOptions,
  ReportTakeOver,
  RunStore,
  StoredRun,
} from './engine/ports/run-store.js';
export { runInvocation } from './engine/run-invocation.js';
export * from './errors.js';
export {
  type CodePipelineJobEvent,
  codePipelineJobEventSchema,
  type EventCredentials,
  type JobArtifact,
  jobArtifactSchema,
} from './event/job-event.js';
export {
  type ArtifactCredentials,
  DEFAULT_DEADLINE_SECONDS,
  DEFAULT_MAX_STATE_BYTES,
  defineJob,
  type Job,
  type JobDefinition,
  ParamsFormat,
  type StepContext,
  type StepDefinition,
  type StepHandler,
} from './job/define-job.js';
export {
  MAX_JOB_VERSION,
  type Migrate,
  type MigrationInput,
  type MigrationResult,
} from './job/job-version.js';
export type { JsonObject, JsonValue } from './job/json.js';
export {
  DEFAULT_RETRY_POLICY,
  type ResolvedRetryPolicy,
  type RetryPolicy,
} from './job/retry-policy.js';
export {
  type FailTransition,
  FailureType,
  fail,
  type GoToTransition,
  goTo,
  type SucceedOptions,
  type SucceedTransition,
  succeed,
  type Transition,
  TransitionKind,
  type WaitOptions,
  type WaitTransition,
  wait,
} from './job/transitions.js';
export {
  type CodePipelineLambdaHandler,
  createLambdaHandler,
  type LambdaHandlerOptions,
} from './lambda/create-lambda-handler.js';
export type { LambdaContext } from './lambda/lambda-context.js';
export {
  createJsonLogger,
  type JsonLoggerOptions,
  type LogAttributes,
  type Logger,
  LogLevel,
  type LogMethod,
} from './logging/logger.js';
export { redactingLogger } from './logging/redacting-logger.js';
export { combineObservers } from './observe/combine-observers.js';
export {
  type EmfMetric,
  type EmfRecord,
  EmfUnit,
  formatEmfLines,
} from './observe/emf/emf-format.js';
export { BatonMetric, type EmfMetricsOptions, emfMetrics } from './observe/emf/emf-metrics.js';
export { ObserverOptionsError } from './observe/observer-options-error.js';
export {
  type InvocationObservation,
  type InvocationStart,
  noopObserver,
  type ObservedError,
  ObservedInvocationEnd,
  type ObservedRun,
  ObservedRunEnd,
  ObservedService,
  type RunObserver,
  type StepEnd,
  type StepObservation,
} from './observe/run-observer.js';
export {
  BatonSpanAttribute,
  type OtelTracingOptions,
  otelTracing,
} from './observe/tracing/otel-tracing.js';
export type {
  OpenTelemetryApi,
  OtelAttributes,
  OtelSpan,
  OtelSpanContext,
  OtelTracer,
  OtelTracerProvider,
} from './observe/tracing/otel-types.js';
export {
  CODEPIPELINE_ACTION_LIMIT_MS,
  CODEPIPELINE_REPLY_WINDOW_MS,
} from './pipeline/action-windows.js';
export {
  CodePipelineReporter,
  type CodePipelineReporterOptions,
} from './pipeline/codepipeline-reporter.js';
export { CodePipelineLimits } from './pipeline/limits.js';
export {
  DynamoDBRunStore,
  type DynamoDBRunStoreOptions,
} from './store/dynamodb/dynamodb-run-store.js';
export {
  RunListIndexMissingError,
  type RunListingOptions,
} from './store/dynamodb/run-index-listing.js';
export { MAX_HISTORY_ENTRIES } from './store/dynamodb/run-items.js';
export type { ProjectedRun, RunFieldPath } from './store/dynamodb/run-projection.js';
export type {
  HistoryEntry,
  HistoryRecord,
  Outcome,
  Progress,
  RunningStep,
  RunRecord,
} from './store/run-record.js';
export { AbandonReason, RunStatus } from './store/run-record.js';
export {
  type CreateTableOptions,
  createTable,
  RUN_LIST_INDEX,
  TTL_ATTRIBUTE,
  tableDefinition,
} from './store/table-definition.js';
export {
  type AbandonmentOptions,
  type AbandonmentVerdict,
  abandonment,
  DEFAULT_NEXT_JOB_GRACE_MS,
} from './sweep/abandonment.js';
export {
  type SweepOptions,
  type SweepResult,
  type SweptRun,
  sweepRuns,
} from './sweep/sweep-runs.js';
export {
  type ContinuationToken,
  decodeToken,
  encodeToken,
  MAX_TOKEN_LENGTH,
} from './token/continuation-token.js';
