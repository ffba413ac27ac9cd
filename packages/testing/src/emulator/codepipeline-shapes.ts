/**
 * Wire shapes of the CodePipeline operations the emulator serves, as JSON on
 * the AWS JSON 1.1 protocol (timestamps are epoch seconds). Only the fields the
 * emulator reads or writes are spelled out.
 */

/** Values of `failureDetails.type` the API accepts: one list, kept by @baton/core. */
import { FailureType } from '@baton/core';

export { FailureType };

/** Lifecycle states of a job, as `AcknowledgeJob` reports them. */
export const JobStatus = {
  Created: 'Created',
  Queued: 'Queued',
  Dispatched: 'Dispatched',
  InProgress: 'InProgress',
  TimedOut: 'TimedOut',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

/** Operations the emulator serves (the `<Op>` of `X-Amz-Target: CodePipeline_20150709.<Op>`). */
export const CodePipelineOperation = {
  PutJobSuccessResult: 'PutJobSuccessResult',
  PutJobFailureResult: 'PutJobFailureResult',
  GetJobDetails: 'GetJobDetails',
  PollForJobs: 'PollForJobs',
  AcknowledgeJob: 'AcknowledgeJob',
} as const;
export type CodePipelineOperation =
  (typeof CodePipelineOperation)[keyof typeof CodePipelineOperation];

/** The operations that report a job's result. */
export const REPORT_OPERATIONS: readonly CodePipelineOperation[] = [
  CodePipelineOperation.PutJobSuccessResult,
  CodePipelineOperation.PutJobFailureResult,
];

/** Identifies an action type (`AWS`/`Invoke`/`Lambda`/`1` for Lambda invoke actions). */
export interface ActionTypeId {
  category: string;
  owner: string;
  provider: string;
  version: string;
}

/** Live temporary credentials for the artifact bucket. Secret. */
export interface ArtifactCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds, as Lambda events carry it. */
  expirationTime?: number;
}

/** An input or output artifact of a job. */
export interface JobArtifact {
  name?: string;
  revision?: string | null;
  location?: {
    type?: string;
    s3Location?: { bucketName: string; objectKey: string };
  };
}

/** `data` of a job: what the job worker (or Lambda function) gets to work with. */
export interface JobData {
  actionTypeId?: ActionTypeId;
  actionConfiguration?: { configuration?: Record<string, string> };
  pipelineContext?: Record<string, unknown>;
  inputArtifacts?: JobArtifact[];
  outputArtifacts?: JobArtifact[];
  artifactCredentials?: ArtifactCredentials;
  continuationToken?: string;
  encryptionKey?: { id: string; type: string };
}

/** The event CodePipeline sends to a Lambda function. */
export interface CodePipelineJobEvent {
  'CodePipeline.job': {
    id: string;
    accountId: string;
    data: JobData;
  };
}

/** `executionDetails` of `PutJobSuccessResult`. */
export interface ExecutionDetails {
  summary?: string;
  externalExecutionId?: string;
  percentComplete?: number;
}

/** `currentRevision` of `PutJobSuccessResult`. */
export interface CurrentRevision {
  revision: string;
  changeIdentifier: string;
  /** Epoch seconds. */
  created?: number;
  revisionSummary?: string;
}

/** Input of `PutJobSuccessResult`. */
export interface PutJobSuccessResultInput {
  jobId: string;
  currentRevision?: CurrentRevision;
  continuationToken?: string;
  executionDetails?: ExecutionDetails;
  outputVariables?: Record<string, string>;
}

/** `failureDetails` of `PutJobFailureResult`. */
export interface FailureDetails {
  type: FailureType;
  message: string;
  externalExecutionId?: string;
}

/** Input of `PutJobFailureResult`. */
export interface PutJobFailureResultInput {
  jobId: string;
  failureDetails: FailureDetails;
}

/** Input of `GetJobDetails`. */
export interface GetJobDetailsInput {
  jobId: string;
}

/** Input of `AcknowledgeJob`. */
export interface AcknowledgeJobInput {
  jobId: string;
  nonce: string;
}

/** Input of `PollForJobs`. */
export interface PollForJobsInput {
  actionTypeId: ActionTypeId;
  maxBatchSize?: number;
  queryParam?: Record<string, string>;
}

/** The action type of Lambda invoke actions. */
export const LAMBDA_INVOKE_ACTION_TYPE: Readonly<ActionTypeId> = Object.freeze({
  category: 'Invoke',
  owner: 'AWS',
  provider: 'Lambda',
  version: '1',
});
