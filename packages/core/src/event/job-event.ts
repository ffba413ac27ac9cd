import { ConfigurationError, InvalidEventError } from '../errors.js';
import { validateWithSchema } from '../job/validate-with-schema.js';
import { array, nullable, number, object, optional, shapeSchema, string } from './event-shape.js';

/** An input or output artifact of the action. */
export interface JobArtifact {
  name: string;
  revision?: string | null;
  location?: { type: string; s3Location?: { bucketName: string; objectKey: string } };
}

/** The temporary credentials CodePipeline passes for the artifact bucket. */
export interface EventCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expirationTime?: number;
}

/** The CodePipeline event, as validated (fields Baton does not read are kept as they are). */
export interface CodePipelineJobEvent {
  'CodePipeline.job': {
    id: string;
    accountId?: string;
    data: {
      actionConfiguration: { configuration: { FunctionName?: string; UserParameters?: string } };
      inputArtifacts?: JobArtifact[];
      outputArtifacts?: JobArtifact[];
      artifactCredentials?: EventCredentials;
      continuationToken?: string;
      encryptionKey?: { id: string; type: string };
    };
  };
}

const artifact = object({
  name: string(),
  revision: optional(nullable(string())),
  location: optional(
    object({
      type: string(),
      s3Location: optional(object({ bucketName: string(), objectKey: string() })),
    }),
  ),
});

/** Standard Schema of an input or output artifact in the event. */
export const jobArtifactSchema = shapeSchema<JobArtifact>(artifact);

/**
 * Standard Schema of the event CodePipeline sends to a Lambda invoke action.
 * Its issues name the field (`["CodePipeline.job"].data.inputArtifacts[0].name`).
 */
export const codePipelineJobEventSchema = shapeSchema<CodePipelineJobEvent>(
  object({
    'CodePipeline.job': object({
      id: string(1),
      accountId: optional(string()),
      data: object({
        actionConfiguration: object({
          configuration: object({
            FunctionName: optional(string()),
            UserParameters: optional(string()),
          }),
        }),
        inputArtifacts: optional(array(artifact)),
        outputArtifacts: optional(array(artifact)),
        artifactCredentials: optional(
          object({
            accessKeyId: string(),
            secretAccessKey: string(),
            sessionToken: string(),
            expirationTime: optional(number),
          }),
        ),
        continuationToken: optional(string()),
        encryptionKey: optional(object({ id: string(), type: string() })),
      }),
    }),
  }),
);

/** The parts of an event Baton works with. */
export interface ParsedJobEvent {
  jobId: string;
  accountId: string | undefined;
  userParameters: string | undefined;
  continuationToken: string | undefined;
  inputArtifacts: JobArtifact[];
  outputArtifacts: JobArtifact[];
  artifactCredentials: EventCredentials | undefined;
}

/**
 * Reads the job id of an event, or throws {@link InvalidEventError} when there
 * is none (nothing can be reported for such an event).
 *
 * @example
 * ```ts
 * const jobId = readJobId(event); // 'c0d76431-b0e7-xmpl-97e3-e8ee786eb6f6'
 * ```
 */
export function readJobId(event: unknown): string {
  const job = (event as Record<string, unknown> | null | undefined)?.['CodePipeline.job'];
  const id = (job as Record<string, unknown> | null | undefined)?.id;
  if (typeof id !== 'string' || id.length === 0) {
    const got =
      event === null || typeof event !== 'object'
        ? `a ${event === null ? 'null' : typeof event}`
        : job === undefined
          ? `an object with keys [${Object.keys(event).slice(0, 10).join(', ')}]`
          : 'a CodePipeline.job without a string id';
    throw new InvalidEventError(
      `not a CodePipeline job event: expected {"CodePipeline.job": {"id": "<job id>", ...}}, got ${got}`,
    );
  }
  return id;
}

/**
 * Validates a CodePipeline job event. Without a job id it throws
 * {@link InvalidEventError}; with one but a malformed rest it throws
 * {@link ConfigurationError} naming the fields (to be reported on that job).
 *
 * @example
 * ```ts
 * const parsed = await parseJobEvent(event);
 * parsed.continuationToken; // undefined on the first job
 * ```
 */
export async function parseJobEvent(event: unknown): Promise<ParsedJobEvent> {
  readJobId(event);
  const result = await validateWithSchema(codePipelineJobEventSchema, event, 'event');
  if (!result.ok) throw new ConfigurationError(`malformed CodePipeline event: ${result.message}`);
  const job = result.value['CodePipeline.job'];
  return {
    jobId: job.id,
    accountId: job.accountId,
    userParameters: job.data.actionConfiguration.configuration.UserParameters,
    continuationToken: job.data.continuationToken,
    inputArtifacts: job.data.inputArtifacts ?? [],
    outputArtifacts: job.data.outputArtifacts ?? [],
    artifactCredentials: job.data.artifactCredentials,
  };
}

/**
 * String values of an event's `artifactCredentials`, for redaction. Reads the
 * raw event (before validation) and never throws, so even a malformed event's
 * credentials are kept out of logs.
 *
 * @example
 * ```ts
 * const secrets = secretsOf(event); // [accessKeyId, secretAccessKey, sessionToken]
 * ```
 */
export function secretsOf(event: unknown): string[] {
  try {
    const creds = (
      (event as Record<string, Record<string, Record<string, unknown>>> | undefined)?.[
        'CodePipeline.job'
      ]?.data as Record<string, unknown> | undefined
    )?.artifactCredentials;
    if (!creds || typeof creds !== 'object') return [];
    return Object.values(creds).filter((v): v is string => typeof v === 'string');
  } catch {
    return [];
  }
}
