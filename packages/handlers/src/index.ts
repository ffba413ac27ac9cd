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
  type FetchJsonOptions,
  fetchJson,
  HttpFailureReason,
  HttpRequestError,
  type JsonRequest,
  type JsonResponse,
} from './http/fetch-json.js';
export { JSON_PATH_PATTERN, type JsonPathResult, readJsonPath } from './http/json-path.js';
export {
  DEFAULT_INTERVAL_SECONDS,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  DEFAULT_TIMEOUT_SECONDS,
  HTTP_METHODS,
  type HttpMethod,
  headersSchema,
  httpMethodSchema,
  httpUrlSchema,
  jsonPathSchema,
  MAX_REQUEST_TIMEOUT_SECONDS,
  MAX_TIMEOUT_SECONDS,
  type PollingDefaults,
  pollingFields,
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
  DEPLOY_START_RETRY,
  DEPLOYMENT_ID_PLACEHOLDER,
  type DeployAndWaitParams,
  type DeployAndWaitState,
  DeployStartError,
  deployAndWaitJob,
  deployAndWaitParamsSchema,
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
} from './lambda/ready-made-bundles.js';
