import { randomBytes } from 'node:crypto';
import type {
  ArtifactCredentials,
  CodePipelineJobEvent,
  JobArtifact,
  JobData,
} from './codepipeline-shapes.js';

/**
 * What every job of an emulated action starts from: the event CodePipeline
 * sends, in the shape of a real one. Per job, the emulator sets a fresh `id`,
 * fresh `artifactCredentials` and the `continuationToken`; whatever the
 * template has there is ignored.
 */
export interface LambdaEventTemplate {
  'CodePipeline.job'?: {
    id?: string;
    accountId?: string;
    data?: JobData;
  };
}

/** An event like the one in the AWS Lambda guide (the seed of these tests). */
export const DEFAULT_LAMBDA_EVENT_TEMPLATE = {
  'CodePipeline.job': {
    accountId: '123456789012',
    data: {
      actionConfiguration: {
        configuration: { FunctionName: 'my-function', UserParameters: '{"KEY": "VALUE"}' },
      },
      inputArtifacts: [
        {
          name: 'my-pipeline-SourceArtifact',
          revision: 'e0c7xmpl2308ca3071aa7bab414de234ab52eea',
          location: {
            type: 'S3',
            s3Location: {
              bucketName: 'us-west-2-123456789012-my-pipeline',
              objectKey: 'my-pipeline/test-api-2/TdOSFRV',
            },
          },
        },
      ] as JobArtifact[],
      outputArtifacts: [
        {
          name: 'invokeOutput',
          revision: null,
          location: {
            type: 'S3',
            s3Location: {
              bucketName: 'us-west-2-123456789012-my-pipeline',
              objectKey: 'my-pipeline/invokeOutp/D0YHsJn',
            },
          },
        },
      ] as JobArtifact[],
    },
  },
} as const satisfies LambdaEventTemplate;

/** `UserParameters` as given to the emulator: a string as is, `null` for none, anything else as JSON. */
export type UserParametersValue =
  | string
  | number
  | boolean
  | null
  | readonly unknown[]
  | { readonly [key: string]: unknown };

/**
 * The `UserParameters` string for a {@link UserParametersValue} (`null` for none).
 *
 * @example
 * ```ts
 * encodeUserParameters({ steps: 3 }); // '{"steps":3}'
 * encodeUserParameters('plain text'); // 'plain text'
 * ```
 */
export function encodeUserParameters(value: UserParametersValue): string | null {
  if (value === null || typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Per-job values {@link buildJobData} fills in. */
export interface JobDataOverrides {
  /** Replaces `FunctionName`. @default the template's */
  functionName?: string;
  /** Replaces `UserParameters`; `null` removes it. @default the template's */
  userParameters?: string | null;
  /** The token the job carries. @default none (a first job) */
  continuationToken?: string;
  /** The job's artifact credentials. */
  artifactCredentials: ArtifactCredentials;
}

/**
 * The `data` of one job: the template's, with the function name, user
 * parameters, credentials and continuation token of this job.
 *
 * @example
 * ```ts
 * const data = buildJobData(DEFAULT_LAMBDA_EVENT_TEMPLATE, {
 *   userParameters: '{"steps":3}',
 *   artifactCredentials: createArtifactCredentials(),
 * });
 * ```
 */
export function buildJobData(template: LambdaEventTemplate, overrides: JobDataOverrides): JobData {
  const base = structuredClone(template['CodePipeline.job']?.data ?? {}) as JobData;
  delete base.continuationToken;
  const configuration: Record<string, string> = {
    ...(base.actionConfiguration?.configuration ?? {}),
  };
  if (overrides.functionName !== undefined) configuration.FunctionName = overrides.functionName;
  if (overrides.userParameters === null) delete configuration.UserParameters;
  else if (overrides.userParameters !== undefined) {
    configuration.UserParameters = overrides.userParameters;
  }
  return {
    ...base,
    actionConfiguration: { ...base.actionConfiguration, configuration },
    inputArtifacts: base.inputArtifacts ?? [],
    outputArtifacts: base.outputArtifacts ?? [],
    artifactCredentials: overrides.artifactCredentials,
    ...(overrides.continuationToken === undefined
      ? {}
      : { continuationToken: overrides.continuationToken }),
  };
}

/**
 * Fresh, unique, fake temporary credentials, one set per job as CodePipeline
 * issues them: distinctive enough for a test to search logs and tables for a
 * leak.
 *
 * @example
 * ```ts
 * const { secretAccessKey } = createArtifactCredentials();
 * expect(logs).not.toContain(secretAccessKey);
 * ```
 */
export function createArtifactCredentials(): ArtifactCredentials {
  const letters = (count: number) =>
    Array.from(randomBytes(count), (byte) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[byte % 32]).join(
      '',
    );
  return {
    accessKeyId: `ASIA${letters(16)}`,
    secretAccessKey: `emulatedSecret${randomBytes(20).toString('base64url')}`,
    sessionToken: `emulatedSession${randomBytes(96).toString('base64url')}`,
    expirationTime: Date.now() + 60 * 60 * 1000,
  };
}

/**
 * The event Lambda receives for a job.
 *
 * @example
 * ```ts
 * const event = toLambdaEvent(job.id, job.accountId, job.data);
 * event['CodePipeline.job'].id === job.id; // true
 * ```
 */
export function toLambdaEvent(id: string, accountId: string, data: JobData): CodePipelineJobEvent {
  // Lambda events carry no actionTypeId (GetJobDetails does).
  const { actionTypeId: _omitted, ...rest } = data;
  return { 'CodePipeline.job': { id, accountId, data: rest } };
}
