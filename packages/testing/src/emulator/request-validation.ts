import { CodePipelineApiError, CodePipelineErrorName } from './codepipeline-errors.js';
import {
  type AcknowledgeJobInput,
  FailureType,
  type GetJobDetailsInput,
  type PollForJobsInput,
  type PutJobFailureResultInput,
  type PutJobSuccessResultInput,
} from './codepipeline-shapes.js';
import { ConstraintCheck, requestBody, wrongType } from './constraint-check.js';

/** Most bytes all output variables of an action may hold together. */
export const MAX_OUTPUT_VARIABLES_BYTES = 122_880;

const JOB_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OUTPUT_VARIABLE_KEY_PATTERN = /^[A-Za-z0-9@\-_]+$/;
const ACTION_PROVIDER_PATTERN = /^[0-9A-Za-z_-]+$/;
const ACTION_VERSION_PATTERN = /^[0-9A-Za-z_-]+$/;
const ACTION_CATEGORIES = ['Source', 'Build', 'Deploy', 'Test', 'Invoke', 'Approval', 'Compute'];
const ACTION_OWNERS = ['AWS', 'ThirdParty', 'Custom'];

/**
 * UTF-8 bytes of all output variables, keys and values together, as counted
 * against the action's {@link MAX_OUTPUT_VARIABLES_BYTES}.
 *
 * @example
 * ```ts
 * outputVariablesBytes({ url: 'https://example.com' }); // 22
 * ```
 */
export function outputVariablesBytes(variables: Record<string, string>): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(variables)) {
    bytes += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8');
  }
  return bytes;
}

/**
 * Checks a `PutJobSuccessResult` request against the API's constraints.
 *
 * @throws {CodePipelineApiError} `ValidationException` (all violations in one
 * message), `OutputVariablesSizeExceededException`, or `SerializationException`
 * for values of the wrong JSON type.
 * @example
 * ```ts
 * const input = validatePutJobSuccessResult(JSON.parse(body));
 * ```
 */
export function validatePutJobSuccessResult(input: unknown): PutJobSuccessResultInput {
  const raw = requestBody(input);
  const check = new ConstraintCheck();
  check.string('jobId', raw.jobId, { required: true, pattern: JOB_ID_PATTERN });
  const revision = check.object('currentRevision', raw.currentRevision, false);
  if (revision) {
    check.string('currentRevision.revision', revision.revision, {
      required: true,
      min: 1,
      max: 1500,
    });
    check.string('currentRevision.changeIdentifier', revision.changeIdentifier, {
      required: true,
      min: 1,
      max: 100,
    });
    check.string('currentRevision.revisionSummary', revision.revisionSummary, {
      min: 1,
      max: 2048,
    });
    if (revision.created !== undefined && typeof revision.created !== 'number') {
      throw wrongType('currentRevision.created', 'a timestamp');
    }
  }
  const token = check.string('continuationToken', raw.continuationToken, { min: 1, max: 2048 });
  const details = check.object('executionDetails', raw.executionDetails, false);
  if (details) {
    check.string('executionDetails.summary', details.summary, { min: 1, max: 2048 });
    check.string('executionDetails.externalExecutionId', details.externalExecutionId, {
      min: 1,
      max: 1500,
    });
    check.integer('executionDetails.percentComplete', details.percentComplete, 0, 100);
  }
  const variables = check.stringMap(
    'outputVariables',
    raw.outputVariables,
    OUTPUT_VARIABLE_KEY_PATTERN,
  );
  if (variables && token !== undefined) {
    check.rule(
      'outputVariables can only be included when there is no continuationToken on the request',
    );
  }
  check.throwIfAny();
  if (variables && outputVariablesBytes(variables) > MAX_OUTPUT_VARIABLES_BYTES) {
    throw new CodePipelineApiError(
      CodePipelineErrorName.OutputVariablesSizeExceeded,
      `The output variables take ${outputVariablesBytes(variables)} bytes; at most ${MAX_OUTPUT_VARIABLES_BYTES} bytes are allowed for an action`,
    );
  }
  return raw as unknown as PutJobSuccessResultInput;
}

/**
 * Checks a `PutJobFailureResult` request against the API's constraints.
 *
 * @throws {CodePipelineApiError} `ValidationException` or `SerializationException`.
 * @example
 * ```ts
 * const input = validatePutJobFailureResult(JSON.parse(body));
 * ```
 */
export function validatePutJobFailureResult(input: unknown): PutJobFailureResultInput {
  const raw = requestBody(input);
  const check = new ConstraintCheck();
  check.string('jobId', raw.jobId, { required: true, pattern: JOB_ID_PATTERN });
  const details = check.object('failureDetails', raw.failureDetails, true);
  if (details) {
    check.string('failureDetails.type', details.type, {
      required: true,
      oneOf: Object.values(FailureType),
    });
    check.string('failureDetails.message', details.message, { required: true, min: 1, max: 5000 });
    check.string('failureDetails.externalExecutionId', details.externalExecutionId, {
      min: 1,
      max: 1500,
    });
  }
  check.throwIfAny();
  return raw as unknown as PutJobFailureResultInput;
}

/**
 * Checks a `GetJobDetails` request.
 *
 * @throws {CodePipelineApiError} `ValidationException` or `SerializationException`.
 * @example
 * ```ts
 * const { jobId } = validateGetJobDetails(JSON.parse(body));
 * ```
 */
export function validateGetJobDetails(input: unknown): GetJobDetailsInput {
  const raw = requestBody(input);
  const check = new ConstraintCheck();
  check.string('jobId', raw.jobId, { required: true, pattern: JOB_ID_PATTERN });
  check.throwIfAny();
  return raw as unknown as GetJobDetailsInput;
}

/**
 * Checks an `AcknowledgeJob` request.
 *
 * @throws {CodePipelineApiError} `ValidationException` or `SerializationException`.
 * @example
 * ```ts
 * const { jobId, nonce } = validateAcknowledgeJob(JSON.parse(body));
 * ```
 */
export function validateAcknowledgeJob(input: unknown): AcknowledgeJobInput {
  const raw = requestBody(input);
  const check = new ConstraintCheck();
  check.string('jobId', raw.jobId, { required: true, pattern: JOB_ID_PATTERN });
  check.string('nonce', raw.nonce, { required: true, min: 1, max: 50 });
  check.throwIfAny();
  return raw as unknown as AcknowledgeJobInput;
}

/**
 * Checks a `PollForJobs` request.
 *
 * @throws {CodePipelineApiError} `ValidationException` or `SerializationException`.
 * @example
 * ```ts
 * const { actionTypeId, maxBatchSize } = validatePollForJobs(JSON.parse(body));
 * ```
 */
export function validatePollForJobs(input: unknown): PollForJobsInput {
  const raw = requestBody(input);
  const check = new ConstraintCheck();
  const type = check.object('actionTypeId', raw.actionTypeId, true);
  if (type) {
    check.string('actionTypeId.category', type.category, {
      required: true,
      oneOf: ACTION_CATEGORIES,
    });
    check.string('actionTypeId.owner', type.owner, { required: true, oneOf: ACTION_OWNERS });
    check.string('actionTypeId.provider', type.provider, {
      required: true,
      min: 1,
      max: 35,
      pattern: ACTION_PROVIDER_PATTERN,
    });
    check.string('actionTypeId.version', type.version, {
      required: true,
      min: 1,
      max: 9,
      pattern: ACTION_VERSION_PATTERN,
    });
  }
  check.integer('maxBatchSize', raw.maxBatchSize, 1);
  check.stringMap('queryParam', raw.queryParam);
  check.throwIfAny();
  return raw as unknown as PollForJobsInput;
}
