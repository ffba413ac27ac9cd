import { CodePipelineApiError, CodePipelineErrorName } from './codepipeline-errors.js';
import {
  type AcknowledgeJobInput,
  FailureType,
  type GetJobDetailsInput,
  type PollForJobsInput,
  type PutJobFailureResultInput,
  type PutJobSuccessResultInput,
} from './codepipeline-shapes.js';

/** Most bytes all output variables of an action may hold together. */
export const MAX_OUTPUT_VARIABLES_BYTES = 122_880;

const JOB_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OUTPUT_VARIABLE_KEY_PATTERN = /^[A-Za-z0-9@\-_]+$/;
const ACTION_PROVIDER_PATTERN = /^[0-9A-Za-z_-]+$/;
const ACTION_VERSION_PATTERN = /^[0-9A-Za-z_-]+$/;
const ACTION_CATEGORIES = ['Source', 'Build', 'Deploy', 'Test', 'Invoke', 'Approval', 'Compute'];
const ACTION_OWNERS = ['AWS', 'ThirdParty', 'Custom'];

interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  pattern?: RegExp;
  oneOf?: readonly string[];
}

/**
 * Collects constraint violations the way the real service words them
 * ("2 validation errors detected: Value ... at 'path' failed to satisfy
 * constraint: ..."), so one request reports all of them at once. A value of
 * the wrong JSON type is a `SerializationException`, as with the real service.
 */
class ConstraintCheck {
  private readonly violations: string[] = [];

  public object(path: string, value: unknown, required: boolean): Record<string, unknown> | null {
    if (value === undefined || value === null) {
      if (required)
        this.violations.push(
          `Value null at '${path}' failed to satisfy constraint: Member must not be null`,
        );
      return null;
    }
    if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(path, 'a structure');
    return value as Record<string, unknown>;
  }

  public string(path: string, value: unknown, rule: StringRule): string | undefined {
    if (value === undefined || value === null) {
      if (rule.required)
        this.violations.push(
          `Value null at '${path}' failed to satisfy constraint: Member must not be null`,
        );
      return undefined;
    }
    if (typeof value !== 'string') throw wrongType(path, 'a string');
    const shown = `Value '${value.length > 64 ? `${value.slice(0, 64)}...` : value}' at '${path}'`;
    if (rule.min !== undefined && value.length < rule.min) {
      this.violations.push(
        `${shown} failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`,
      );
    }
    if (rule.max !== undefined && value.length > rule.max) {
      this.violations.push(
        `${shown} failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`,
      );
    }
    if (rule.pattern && value.length > 0 && !rule.pattern.test(value)) {
      this.violations.push(
        `${shown} failed to satisfy constraint: Member must satisfy regular expression pattern: ${rule.pattern.source.replace(/^\^|\$$/g, '')}`,
      );
    }
    if (rule.oneOf && !rule.oneOf.includes(value)) {
      this.violations.push(
        `${shown} failed to satisfy constraint: Member must satisfy enum value set: [${rule.oneOf.join(', ')}]`,
      );
    }
    return value;
  }

  public integer(path: string, value: unknown, min: number, max?: number): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number') throw wrongType(path, 'a number');
    if (!Number.isInteger(value)) {
      this.violations.push(
        `Value '${value}' at '${path}' failed to satisfy constraint: Member must be an integer`,
      );
    } else if (value < min) {
      this.violations.push(
        `Value '${value}' at '${path}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
      );
    } else if (max !== undefined && value > max) {
      this.violations.push(
        `Value '${value}' at '${path}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
      );
    }
    return value;
  }

  public stringMap(
    path: string,
    value: unknown,
    keyPattern?: RegExp,
  ): Record<string, string> | undefined {
    const map = this.object(path, value, false);
    if (!map) return undefined;
    for (const [key, entry] of Object.entries(map)) {
      if (typeof entry !== 'string') throw wrongType(`${path}.${key}`, 'a string');
      if (keyPattern && !keyPattern.test(key)) {
        this.violations.push(
          `Value '${key}' at '${path}' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ${keyPattern.source.replace(/^\^|\$$/g, '')}]`,
        );
      }
    }
    return map as Record<string, string>;
  }

  /** Adds a violation that is not about one member's own constraint. */
  public rule(message: string): void {
    this.violations.push(message);
  }

  public throwIfAny(): void {
    const count = this.violations.length;
    if (count === 0) return;
    throw new CodePipelineApiError(
      CodePipelineErrorName.Validation,
      `${count} validation error${count === 1 ? '' : 's'} detected: ${this.violations.join('; ')}`,
    );
  }
}

function wrongType(path: string, expected: string): CodePipelineApiError {
  return new CodePipelineApiError(
    CodePipelineErrorName.Serialization,
    `Cannot deserialize '${path}': expected ${expected}`,
  );
}

function body(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CodePipelineApiError(
      CodePipelineErrorName.Serialization,
      'The request body must be a JSON object',
    );
  }
  return input as Record<string, unknown>;
}

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
  const raw = body(input);
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
  const raw = body(input);
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
  const raw = body(input);
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
  const raw = body(input);
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
  const raw = body(input);
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
