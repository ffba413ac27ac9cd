import { REPORT_OPERATIONS } from './codepipeline-shapes.js';
import type { FaultKind } from './faults.js';
import type { JobRequest } from './job-request-hooks.js';
import type { ActionInvocation } from './lambda-action-options.js';
import { type InvocationOutcome, InvocationOutcomeKind } from './lambda-container.js';
import type { PipelineClock } from './pipeline-clock.js';
import { type InvocationRef, type TimelineEvent, TimelineEventType } from './timeline.js';

/** A job as the timeline names it. */
export interface RecordedJob {
  jobId: string;
  sequence: number;
}

/** What became of one API request about a job. */
export interface RequestRecord {
  accepted: boolean;
  error?: string;
  answered: boolean;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A timeline event before it is stamped. */
export type UnstampedEvent = DistributiveOmit<TimelineEvent, 'elapsedMs' | 'pipelineMs'>;

/**
 * The timeline and the invocation list of one action: stamps each event with
 * real and pipeline time, and passes it to the `onEvent` callback.
 *
 * @example
 * ```ts
 * const recorder = new ActionRecorder(options.onEvent);
 * recorder.start(clock);
 * recorder.fault({ jobId, sequence: 1 }, 'throttle', 'PutJobSuccessResult answered 400');
 * ```
 */
export class ActionRecorder {
  public readonly timeline: TimelineEvent[] = [];
  public readonly invocations: ActionInvocation[] = [];
  private clock: PipelineClock | undefined;
  private startedAt = performance.now();
  private readonly onEvent: ((event: TimelineEvent) => void) | undefined;

  public constructor(onEvent?: (event: TimelineEvent) => void) {
    this.onEvent = onEvent;
  }

  /** Starts the clocks the events are stamped with. */
  public start(clock: PipelineClock): void {
    this.clock = clock;
    this.startedAt = performance.now();
  }

  /** Real milliseconds since {@link start}. */
  public elapsedMs(): number {
    return performance.now() - this.startedAt;
  }

  public record(event: UnstampedEvent): TimelineEvent {
    const stamped = {
      ...event,
      elapsedMs: this.elapsedMs(),
      pipelineMs: this.clock?.now() ?? 0,
    } as TimelineEvent;
    this.timeline.push(stamped);
    try {
      this.onEvent?.(stamped);
    } catch {
      // A failing display callback must not break the action under test.
    }
    return stamped;
  }

  /** An invocation's end: kept in the invocation list and put on the timeline. */
  public invocationEnded(
    ref: InvocationRef,
    started: { awsRequestId: string; containerId: string; coldStart: boolean },
    outcome: InvocationOutcome,
  ): void {
    this.invocations.push({ ...ref, ...started, outcome });
    switch (outcome.kind) {
      case InvocationOutcomeKind.Returned:
        this.record({ type: TimelineEventType.InvocationEnded, ...ref, value: outcome.value });
        break;
      case InvocationOutcomeKind.Errored:
        this.record({ type: TimelineEventType.InvocationErrored, ...ref, error: outcome.error });
        break;
      case InvocationOutcomeKind.TimedOut:
        this.record({
          type: TimelineEventType.InvocationTimedOut,
          ...ref,
          timeoutMs: outcome.timeoutMs,
        });
        break;
      case InvocationOutcomeKind.Crashed:
        this.record({ type: TimelineEventType.InvocationCrashed, ...ref, reason: outcome.reason });
        break;
    }
  }

  /** A request about a job: a report, or another API call. */
  public request(job: RecordedJob, request: JobRequest, outcome: RequestRecord): void {
    const error = outcome.error === undefined ? {} : { error: outcome.error };
    if (REPORT_OPERATIONS.includes(request.operation)) {
      this.record({
        type: TimelineEventType.ReportReceived,
        jobId: job.jobId,
        sequence: job.sequence,
        operation: request.operation,
        request: request.body,
        accepted: outcome.accepted,
        ...error,
        answered: outcome.answered,
      });
    } else {
      this.record({
        type: TimelineEventType.ApiCalled,
        jobId: job.jobId,
        sequence: job.sequence,
        operation: request.operation,
        ...error,
      });
    }
  }

  public fault(
    job: RecordedJob,
    fault: FaultKind,
    detail: string,
    invocationId?: string,
  ): TimelineEvent {
    return this.record({
      type: TimelineEventType.FaultInjected,
      fault,
      jobId: job.jobId,
      sequence: job.sequence,
      ...(invocationId === undefined ? {} : { invocationId }),
      detail,
    });
  }
}
