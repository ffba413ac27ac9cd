import { randomUUID } from 'node:crypto';
import type { ActionRecorder, RecordedJob } from './action-recorder.js';
import type { ActionSettings } from './action-settings.js';
import {
  type CodePipelineJobEvent,
  type ExecutionDetails,
  JobStatus,
} from './codepipeline-shapes.js';
import type { FaultInjector } from './fault-injector.js';
import { buildJobData, createArtifactCredentials, toLambdaEvent } from './job-event-template.js';
import type { EmulatedJob, JobRegistry, JobResult } from './job-registry.js';
import type { JobRequestHooks } from './job-request-hooks.js';
import type { ActionJob } from './lambda-action-options.js';
import { type ActionFinishReason, TimelineEventType } from './timeline.js';

/** A job of the action being played, with what the action keeps about it. */
export interface PlayedJob extends RecordedJob {
  job: EmulatedJob;
  /** The event Lambda gets for this job (every delivery and retry). */
  event: CodePipelineJobEvent;
  /** One per event, as Lambda assigns it when the event is queued. */
  awsRequestId: string;
  /** Resolves with the result the job accepts. */
  result: Promise<JobResult>;
}

/** What the CodePipeline side needs from the emulator. */
export interface PipelineHost {
  registry: JobRegistry;
  /** Routes the server's requests about a job to `hooks`. */
  attachJob(jobId: string, hooks: JobRequestHooks): void;
  /** Stops routing requests about a job (they are then applied plainly). */
  detachJob(jobId: string): void;
}

/**
 * The CodePipeline side of a played action: creates its jobs, one per
 * continuation, watches the requests about them (putting each on the
 * timeline, with the faults the injector adds) and closes them.
 *
 * @example
 * ```ts
 * const jobs = new PipelineJobs(host, settings, recorder, faults);
 * const first = jobs.create(1, undefined);
 * const result = await first.result;
 * ```
 */
export class PipelineJobs {
  private readonly played: PlayedJob[] = [];
  private lastDetails: ExecutionDetails | undefined;

  private readonly host: PipelineHost;
  private readonly settings: ActionSettings;
  private readonly recorder: ActionRecorder;
  private readonly faults: FaultInjector;

  public constructor(
    host: PipelineHost,
    settings: ActionSettings,
    recorder: ActionRecorder,
    faults: FaultInjector,
  ) {
    this.host = host;
    this.settings = settings;
    this.recorder = recorder;
    this.faults = faults;
  }

  /** The last `executionDetails` an accepted success carried. */
  public get lastExecutionDetails(): ExecutionDetails | undefined {
    return this.lastDetails;
  }

  /** Creates job `sequence` of the action (1 = the first), carrying `continuationToken`. */
  public create(sequence: number, continuationToken: string | undefined): PlayedJob {
    let resolveResult!: (result: JobResult) => void;
    const result = new Promise<JobResult>((resolve) => {
      resolveResult = resolve;
    });
    const { userParameters } = this.settings;
    const job = this.host.registry.create({
      accountId: this.settings.accountId,
      data: buildJobData(this.settings.template, {
        functionName: this.settings.functionName,
        ...(userParameters === undefined ? {} : { userParameters }),
        ...(continuationToken === undefined ? {} : { continuationToken }),
        artifactCredentials: createArtifactCredentials(),
      }),
      onResult: (_job, accepted) => {
        if (accepted.kind === 'success' && accepted.input.executionDetails) {
          this.lastDetails = accepted.input.executionDetails;
        }
        resolveResult(accepted);
      },
    });
    const played: PlayedJob = {
      jobId: job.id,
      sequence,
      job,
      event: toLambdaEvent(job.id, job.accountId, job.data),
      awsRequestId: randomUUID(),
      result,
    };
    this.played.push(played);
    this.host.attachJob(job.id, this.hooksFor(played));
    this.recorder.record({
      type: TimelineEventType.JobCreated,
      jobId: job.id,
      sequence,
      ...(continuationToken === undefined ? {} : { continuationToken }),
    });
    return played;
  }

  /** Ends a job that got no result in time: later reports are refused. */
  public timeOut(
    played: PlayedJob,
    reason: typeof ActionFinishReason.NoReply | typeof ActionFinishReason.ActionTimeout,
  ): void {
    this.host.registry.close(played.jobId, JobStatus.TimedOut);
    this.recorder.record({
      type: TimelineEventType.JobTimedOut,
      jobId: played.jobId,
      sequence: played.sequence,
      reason,
    });
  }

  /** Ends a job as failed without a result (its function cannot run): later reports are refused. */
  public fail(played: PlayedJob): void {
    this.host.registry.close(played.jobId, JobStatus.Failed);
  }

  /** Closes every job of the action and stops watching their requests. */
  public closeAll(): void {
    for (const played of this.played) {
      this.host.registry.close(played.jobId, JobStatus.TimedOut);
      this.host.detachJob(played.jobId);
    }
  }

  /** The jobs as the action's result lists them. */
  public results(): ActionJob[] {
    return this.played.map(({ job, sequence, event }) => ({
      id: job.id,
      sequence,
      ...(job.data.continuationToken === undefined
        ? {}
        : { continuationToken: job.data.continuationToken }),
      status: job.status,
      ...(job.result ? { result: job.result } : {}),
      event,
      artifactCredentials: job.data.artifactCredentials!,
    }));
  }

  private hooksFor(played: PlayedJob): JobRequestHooks {
    const job: RecordedJob = { jobId: played.jobId, sequence: played.sequence };
    return {
      beforeApply: async (request) => {
        const directive = await this.faults.beforeRequest(job, request);
        if (directive?.action === 'drop') {
          this.recorder.request(job, request, {
            accepted: false,
            error: 'dropped',
            answered: false,
          });
        } else if (directive?.action === 'fail') {
          this.recorder.request(job, request, {
            accepted: false,
            error: directive.error.errorName,
            answered: true,
          });
        }
        return directive;
      },
      afterApply: async (request, outcome) => {
        const fault = this.faults.afterRequest(job, request, outcome);
        this.recorder.request(job, request, {
          accepted: outcome.ok,
          ...(outcome.ok ? {} : { error: outcome.error.errorName }),
          answered: !fault.answerLost,
        });
        await fault.strike();
        return fault.answerLost ? { action: 'drop' } : undefined;
      },
    };
  }
}
