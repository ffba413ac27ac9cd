export {
  type Condition,
  type ConditionResult,
  conditionSchema,
  describeCondition,
  evaluateCondition,
  previewJson,
} from './http/condition.js';
export { displayUrl } from './http/display-url.js';
export {
  DEFAULT_MAX_AUTH_FAILURES,
  type FailFastCounters,
  type FailFastLimits,
  type FailFastVerdict,
  failFast,
  RETRY_AFTER_STATUSES,
  retryAfterOf,
} from './http/fail-fast.js';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  type FetchJsonOptions,
  fetchJson,
  HttpFailureReason,
  HttpRequestError,
  type JsonRequest,
  type JsonResponse,
} from './http/fetch-json.js';
export { BodyTooLargeError, OverLimit } from './http/http-exchange.js';
export { JSON_PATH_PATTERN, type JsonPathResult, readJsonPath } from './http/json-path.js';
export { type ParseJsonOptions, parseJsonText } from './http/json-text.js';
export { printable, scrubUrls } from './http/outside-text.js';
export {
  countSchema,
  HTTP_METHODS,
  type HttpMethod,
  hasUserInfo,
  headersSchema,
  httpMethodSchema,
  httpUrlSchema,
  jsonPathSchema,
  RESERVED_HEADERS,
  secondsSchema,
} from './http/param-schemas.js';
export {
  type PollOnceOptions,
  PollOutcome,
  type PollResult,
  pollOnce,
} from './http/poll-once.js';
export {
  INITIAL_POLL_STATE,
  type PollSettings,
  type PollState,
  type PollStepOptions,
  pollStep,
} from './http/poll-step.js';
export {
  DEFAULT_INTERVAL_SECONDS,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  DEFAULT_TIMEOUT_SECONDS,
  MAX_REQUEST_TIMEOUT_SECONDS,
  MAX_RESPONSE_BYTES_LIMIT,
  MAX_TIMEOUT_SECONDS,
  MIN_INTERVAL_SECONDS,
  type OptionalOrDefault,
  type PollingDefaults,
  pollingFields,
} from './http/polling-fields.js';
export {
  MAX_REDIRECTS,
  RedirectMode,
  type RedirectRefusal,
  redirectRefusal,
} from './http/redirect-policy.js';
export { parseRetryAfter } from './http/retry-after.js';
export {
  ALLOW_LOOPBACK_ENV,
  loopbackAllowed,
  RefusedTargetError,
  refusedRange,
} from './http/target-policy.js';
export {
  DEPLOY_MAX_NOT_FOUND,
  DEPLOY_START_RETRY,
  DEPLOYMENT_ID_PLACEHOLDER,
  type DeployAndWaitParams,
  type DeployAndWaitState,
  type DeploymentIdResult,
  DeployStartError,
  deployAndWaitJob,
  deployAndWaitParamsSchema,
  deploymentIdOf,
  MAX_DEPLOYMENT_ID_LENGTH,
} from './jobs/deploy-and-wait.js';
export {
  type WaitForHttpParams,
  type WaitForHttpState,
  waitForHttpJob,
  waitForHttpParamsSchema,
} from './jobs/wait-for-http.js';
export {
  BundleNotFoundError,
  READY_MADE_LAMBDA_HANDLER,
  ReadyMadeHandler,
  readyMadeBundlePath,
  SWEEP_BUNDLE,
  sweepBundlePath,
} from './lambda/ready-made-bundles.js';
export {
  LAMBDA_BUNDLE_FILE,
  LAMBDA_BUNDLE_OPTIONS,
  LAMBDA_ZIP_ENTRY_OPTIONS,
} from './lambda-bundle-options.js';
export {
  SweepMetric,
  type SweepReportOptions,
  sweepReport,
} from './sweep/sweep-report.js';
