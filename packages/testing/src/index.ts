export {
  type Deployment,
  type DeploymentOutcome,
  type DeploymentService,
  type DeploymentServiceEvent,
  DeploymentServiceEventKind,
  type DeploymentServiceOptions,
  DeploymentStatus,
  type StartCounters,
  startDeploymentService,
} from './deployment/deployment-service.js';
export {
  type DynamoDBLocal,
  DynamoDBLocalSource,
  LOCAL_AWS_SETTINGS,
  type StartDynamoDBLocalOptions,
  startDynamoDBLocal,
} from './dynamodb/start-dynamodb-local.js';
export {
  type CodePipelineEmulator,
  type CodePipelineEmulatorOptions,
  type CreatedJob,
  type CreateJobOptions,
  runLambdaAction,
  startCodePipelineEmulator,
} from './emulator/codepipeline-emulator.js';
export {
  CodePipelineApiError,
  type CodePipelineApiErrorOptions,
  CodePipelineErrorName,
  EmulatorConfigurationError,
  EmulatorStoppedError,
  UnfiredFaultsError,
} from './emulator/codepipeline-errors.js';
export {
  type AfterApplyDirective,
  type BeforeApplyDirective,
  type CodePipelineServer,
  type CodePipelineServerOptions,
  type JobRequest,
  type JobRequestHooks,
  type JobRequestOutcome,
  startCodePipelineServer,
} from './emulator/codepipeline-server.js';
export {
  type AcknowledgeJobInput,
  type ActionTypeId,
  type ArtifactCredentials,
  type CodePipelineJobEvent,
  CodePipelineOperation,
  type CurrentRevision,
  type ExecutionDetails,
  type FailureDetails,
  FailureType,
  type JobArtifact,
  type JobData,
  JobStatus,
  LAMBDA_INVOKE_ACTION_TYPE,
  type PollForJobsInput,
  type PutJobFailureResultInput,
  type PutJobSuccessResultInput,
} from './emulator/codepipeline-shapes.js';
export { Isolation } from './emulator/container-channel.js';
export type { SerializedError } from './emulator/container-messages.js';
export {
  type CutOffFault,
  CutOffPoint,
  type DuplicateDeliveryFault,
  DuplicateMode,
  type Fault,
  FaultKind,
  type FaultReport,
  type FaultStrike,
  type InvocationSelector,
  type JobSelector,
  type RequestFaultOptions,
  type ResponseLostFault,
  type ServerErrorFault,
  type ThrottleFault,
} from './emulator/faults.js';
export {
  buildJobData,
  createArtifactCredentials,
  DEFAULT_LAMBDA_EVENT_TEMPLATE,
  type JobDataOverrides,
  type LambdaEventTemplate,
  toLambdaEvent,
  type UserParametersValue,
} from './emulator/job-event-template.js';
export {
  type CreateJobInit,
  type EmulatedJob,
  JobRegistry,
  type JobResult,
} from './emulator/job-registry.js';
export {
  type ActionInvocation,
  type ActionJob,
  HandlerClock,
  type LambdaActionOptions,
  type LambdaActionResult,
} from './emulator/lambda-action-options.js';
export {
  type InvocationOutcome,
  InvocationOutcomeKind,
  type LambdaHandler,
} from './emulator/lambda-container.js';
export {
  createLambdaContext,
  type LambdaContext,
  type LambdaContextInit,
} from './emulator/lambda-context.js';
export {
  MAX_OUTPUT_VARIABLES_BYTES,
  outputVariablesBytes,
} from './emulator/request-validation.js';
export {
  ActionFinishReason,
  type ActionStatus,
  formatTimelineEvent,
  type InvocationRef,
  type TimelineEvent,
  TimelineEventType,
  type TimelineStamp,
} from './emulator/timeline.js';
export { InMemoryRunStore } from './run-store/in-memory-run-store.js';
export { type RunStoreContractCase, runStoreContract } from './run-store/run-store-contract.js';
export {
  runStepsToEnd,
  type StepsTrace,
} from './step-testing/run-steps-to-end.js';
export {
  type CapturedLogLine,
  StepTestEnvironment,
  type StepTestInput,
  type StepTestResult,
  testStep,
} from './step-testing/test-step.js';
export { paramIssues, validateParams } from './step-testing/validate-params.js';
