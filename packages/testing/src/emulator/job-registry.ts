import { randomBytes, randomUUID } from 'node:crypto';
import { CodePipelineApiError, CodePipelineErrorName } from './codepipeline-errors.js';
import {
  type AcknowledgeJobInput,
  type ActionTypeId,
  type JobData,
  JobStatus,
  LAMBDA_INVOKE_ACTION_TYPE,
  type PollForJobsInput,
  type PutJobFailureResultInput,
  type PutJobSuccessResultInput,
} from './codepipeline-shapes.js';

/** A result a job accepted: the request that reported it, as received. */
export type JobResult =
  | { kind: 'success'; input: PutJobSuccessResultInput; receivedAt: Date }
  | { kind: 'failure'; input: PutJobFailureResultInput; receivedAt: Date };

/** A job held by the emulator. */
export interface EmulatedJob {
  /** Fresh UUID, as CodePipeline's. */
  readonly id: string;
  readonly accountId: string;
  readonly actionTypeId: ActionTypeId;
  /** What `GetJobDetails` and `PollForJobs` return (and the Lambda event carries). */
  readonly data: JobData;
  /** Given out by `PollForJobs`, checked by `AcknowledgeJob`. */
  readonly nonce: string;
  readonly createdAt: Date;
  status: JobStatus;
  /** The one result the job accepted, once reported. */
  result?: JobResult;
}

/** Options of {@link JobRegistry.create}. */
export interface CreateJobInit {
  /** The job's data (`continuationToken`, configuration, artifacts, credentials). */
  data: JobData;
  /** @default '123456789012' */
  accountId?: string;
  /**
   * The action type. Lambda invoke jobs start `InProgress` (Lambda is invoked
   * with them); jobs of any other type start `Queued`, for `PollForJobs`.
   * @default the Lambda invoke action type
   */
  actionTypeId?: ActionTypeId;
  /** Called once, when the job accepts its result. */
  onResult?: (job: EmulatedJob, result: JobResult) => void;
}

/**
 * The emulator's jobs and the rules of their lifecycle: a job accepts exactly
 * one result, and only while in progress; custom-action jobs must be polled
 * and acknowledged first. Errors are thrown as {@link CodePipelineApiError}.
 *
 * @example
 * ```ts
 * const registry = new JobRegistry();
 * const job = registry.create({ data: {}, onResult: (_job, result) => console.log(result.kind) });
 * registry.putSuccess({ jobId: job.id });
 * registry.putSuccess({ jobId: job.id }); // throws InvalidJobStateException
 * ```
 */
export class JobRegistry {
  private readonly jobs = new Map<string, EmulatedJob>();
  private readonly resultListeners = new Map<
    string,
    (job: EmulatedJob, result: JobResult) => void
  >();
  private readonly actionTypes = new Set<string>([actionTypeKey(LAMBDA_INVOKE_ACTION_TYPE)]);

  /** Creates a job with a fresh id. */
  public create(init: CreateJobInit): EmulatedJob {
    const actionTypeId = { ...(init.actionTypeId ?? LAMBDA_INVOKE_ACTION_TYPE) };
    const isLambda = actionTypeKey(actionTypeId) === actionTypeKey(LAMBDA_INVOKE_ACTION_TYPE);
    const job: EmulatedJob = {
      id: randomUUID(),
      accountId: init.accountId ?? '123456789012',
      actionTypeId,
      data: { ...init.data, actionTypeId },
      nonce: randomBytes(12).toString('hex'),
      createdAt: new Date(),
      status: isLambda ? JobStatus.InProgress : JobStatus.Queued,
    };
    this.jobs.set(job.id, job);
    this.actionTypes.add(actionTypeKey(actionTypeId));
    if (init.onResult) this.resultListeners.set(job.id, init.onResult);
    return job;
  }

  /** The job with this id, if any. */
  public get(jobId: string): EmulatedJob | undefined {
    return this.jobs.get(jobId);
  }

  /**
   * Ends a job that has no result yet (the action timed out or was abandoned),
   * so that later reports for it are refused with `InvalidJobStateException`.
   */
  public close(jobId: string, status: typeof JobStatus.TimedOut | typeof JobStatus.Failed): void {
    const job = this.jobs.get(jobId);
    if (job && !job.result && !isFinal(job.status)) job.status = status;
    this.resultListeners.delete(jobId);
  }

  /** `PutJobSuccessResult`, after validation. */
  public putSuccess(input: PutJobSuccessResultInput): void {
    this.accept(input.jobId, { kind: 'success', input, receivedAt: new Date() });
  }

  /** `PutJobFailureResult`, after validation. */
  public putFailure(input: PutJobFailureResultInput): void {
    this.accept(input.jobId, { kind: 'failure', input, receivedAt: new Date() });
  }

  /** `GetJobDetails`, after validation. */
  public getDetails(jobId: string): { id: string; data: JobData; accountId: string } {
    const job = this.require(jobId);
    return { id: job.id, data: job.data, accountId: job.accountId };
  }

  /** `PollForJobs`, after validation: hands out queued jobs of the type, marking them dispatched. */
  public poll(input: PollForJobsInput): Array<{
    id: string;
    data: JobData;
    nonce: string;
    accountId: string;
  }> {
    if (!this.actionTypes.has(actionTypeKey(input.actionTypeId))) {
      throw new CodePipelineApiError(
        CodePipelineErrorName.ActionTypeNotFound,
        `Action type ${actionTypeKey(input.actionTypeId)} does not exist`,
      );
    }
    const limit = input.maxBatchSize ?? 1;
    const picked: EmulatedJob[] = [];
    for (const job of this.jobs.values()) {
      if (picked.length >= limit) break;
      if (job.status !== JobStatus.Queued) continue;
      if (actionTypeKey(job.actionTypeId) !== actionTypeKey(input.actionTypeId)) continue;
      if (!matchesQuery(job, input.queryParam)) continue;
      picked.push(job);
    }
    for (const job of picked) job.status = JobStatus.Dispatched;
    return picked.map((job) => ({
      id: job.id,
      data: job.data,
      nonce: job.nonce,
      accountId: job.accountId,
    }));
  }

  /** `AcknowledgeJob`, after validation: a dispatched job with the right nonce goes in progress. */
  public acknowledge(input: AcknowledgeJobInput): JobStatus {
    const job = this.require(input.jobId);
    if (input.nonce !== job.nonce) {
      throw new CodePipelineApiError(
        CodePipelineErrorName.InvalidNonce,
        `The nonce does not match job ${job.id}`,
      );
    }
    if (job.status === JobStatus.Dispatched) job.status = JobStatus.InProgress;
    return job.status;
  }

  private accept(jobId: string, result: JobResult): void {
    const job = this.require(jobId);
    if (job.status !== JobStatus.InProgress) {
      throw new CodePipelineApiError(
        CodePipelineErrorName.InvalidJobState,
        `Job ${job.id} is in state ${job.status} and cannot accept a result`,
      );
    }
    job.result = result;
    job.status = result.kind === 'success' ? JobStatus.Succeeded : JobStatus.Failed;
    const listener = this.resultListeners.get(job.id);
    this.resultListeners.delete(job.id);
    listener?.(job, result);
  }

  private require(jobId: string): EmulatedJob {
    const job = this.jobs.get(jobId);
    if (!job) {
      throw new CodePipelineApiError(CodePipelineErrorName.JobNotFound, `Job ${jobId} not found`);
    }
    return job;
  }
}

function isFinal(status: JobStatus): boolean {
  return (
    status === JobStatus.Succeeded || status === JobStatus.Failed || status === JobStatus.TimedOut
  );
}

function actionTypeKey(type: ActionTypeId): string {
  return `${type.owner}/${type.category}/${type.provider}/${type.version}`;
}

function matchesQuery(job: EmulatedJob, query: Record<string, string> | undefined): boolean {
  if (!query) return true;
  const configuration = job.data.actionConfiguration?.configuration ?? {};
  return Object.entries(query).every(([key, value]) => configuration[key] === value);
}
