import type { CodePipelineOperation, FailureDetails } from './codepipeline-shapes.js';
import type { SerializedError } from './container-messages.js';
import type { FaultKind } from './faults.js';

/** Kinds of {@link TimelineEvent}. */
export const TimelineEventType = {
  ActionStarted: 'action-started',
  JobCreated: 'job-created',
  InvocationStarted: 'invocation-started',
  InvocationEnded: 'invocation-ended',
  InvocationErrored: 'invocation-errored',
  InvocationTimedOut: 'invocation-timed-out',
  InvocationCrashed: 'invocation-crashed',
  RetryScheduled: 'retry-scheduled',
  RetriesExhausted: 'retries-exhausted',
  ReportReceived: 'report-received',
  ApiCalled: 'api-called',
  FaultInjected: 'fault-injected',
  JobTimedOut: 'job-timed-out',
  ActionFinished: 'action-finished',
  HandlerOutput: 'handler-output',
} as const;
export type TimelineEventType = (typeof TimelineEventType)[keyof typeof TimelineEventType];

/** How an emulated action ended. */
export const ActionFinishReason = {
  /** Success reported without a continuation token. */
  Succeeded: 'succeeded',
  /** `PutJobFailureResult` reported. */
  FailureReported: 'failure-reported',
  /** No result for the current job within the no-reply timeout (20 minutes). */
  NoReply: 'no-reply-timeout',
  /** The action's total time (24 hours) ran out. */
  ActionTimeout: 'action-timeout',
  /**
   * The handler module cannot load (`Runtime.ImportModuleError`,
   * `Runtime.HandlerNotFound`, `Runtime.UserCodeSyntaxError`, or an error its
   * top level threw). Lambda would retry and CodePipeline wait out the
   * no-reply window, but nothing can change: the emulator ends the action at
   * once.
   */
  HandlerNotLoadable: 'handler-not-loadable',
} as const;
export type ActionFinishReason = (typeof ActionFinishReason)[keyof typeof ActionFinishReason];

/** Final status of an emulated action, as CodePipeline shows it. */
export type ActionStatus = 'Succeeded' | 'Failed';

/** When an event happened. */
export interface TimelineStamp {
  /** Real milliseconds since the action started. */
  elapsedMs: number;
  /** Pipeline milliseconds since the action started (see `timeScale`). */
  pipelineMs: number;
}

/** Identifies one invocation. */
export interface InvocationRef {
  jobId: string;
  /** Job sequence in the action, from 1. */
  sequence: number;
  /** `j<sequence>-d<delivery>-a<attempt>`, unique in the action. */
  invocationId: string;
  /** 1 = first delivery of the event, 2 = a duplicate. */
  delivery: number;
  /** 1 = first try, 2 and 3 = Lambda's retries. */
  attempt: number;
}

/** One thing that happened while an action played. */
export type TimelineEvent = TimelineStamp &
  (
    | { type: typeof TimelineEventType.ActionStarted; functionName: string }
    | {
        type: typeof TimelineEventType.JobCreated;
        jobId: string;
        sequence: number;
        /** The token this job carries (none for the first job). */
        continuationToken?: string;
      }
    | (InvocationRef & {
        type: typeof TimelineEventType.InvocationStarted;
        awsRequestId: string;
        containerId: string;
        /** A new container: the handler module is loaded first. */
        coldStart: boolean;
      })
    | (InvocationRef & { type: typeof TimelineEventType.InvocationEnded; value: unknown })
    | (InvocationRef & { type: typeof TimelineEventType.InvocationErrored; error: SerializedError })
    | (InvocationRef & { type: typeof TimelineEventType.InvocationTimedOut; timeoutMs: number })
    | (InvocationRef & { type: typeof TimelineEventType.InvocationCrashed; reason: string })
    | {
        type: typeof TimelineEventType.RetryScheduled;
        jobId: string;
        sequence: number;
        delivery: number;
        /** The attempt that will run. */
        attempt: number;
        /** Pipeline milliseconds until it runs. */
        delayMs: number;
      }
    | {
        type: typeof TimelineEventType.RetriesExhausted;
        jobId: string;
        sequence: number;
        delivery: number;
      }
    | {
        type: typeof TimelineEventType.ReportReceived;
        jobId: string;
        sequence: number;
        operation: CodePipelineOperation;
        /** The request body as received (reports carry no secrets). */
        request: unknown;
        /** Whether the job took this result. */
        accepted: boolean;
        /** The error name answered or that would have been answered, if not accepted. */
        error?: string;
        /** Whether the caller got the answer (false when a fault dropped it). */
        answered: boolean;
      }
    | {
        type: typeof TimelineEventType.ApiCalled;
        jobId: string;
        sequence: number;
        operation: CodePipelineOperation;
        error?: string;
      }
    | {
        type: typeof TimelineEventType.FaultInjected;
        fault: FaultKind;
        jobId: string;
        sequence: number;
        /** The invocation hit, for delivery and cut-off faults. */
        invocationId?: string;
        detail: string;
      }
    | {
        type: typeof TimelineEventType.JobTimedOut;
        jobId: string;
        sequence: number;
        reason: typeof ActionFinishReason.NoReply | typeof ActionFinishReason.ActionTimeout;
      }
    | {
        type: typeof TimelineEventType.ActionFinished;
        status: ActionStatus;
        reason: ActionFinishReason;
        failureDetails?: FailureDetails;
      }
    | {
        type: typeof TimelineEventType.HandlerOutput;
        containerId: string;
        /** The invocation running (or last run) in the container. */
        invocationId?: string;
        stream: 'stdout' | 'stderr';
        text: string;
      }
  );

/**
 * One line describing a timeline event, for live display.
 *
 * @example
 * ```ts
 * await emulator.runLambdaAction({
 *   handler,
 *   onEvent: (event) => console.log(formatTimelineEvent(event)),
 * });
 * // [pipeline  0:01:00.000 | real     65ms] j1-d1-a1 started (c1, cold)
 * ```
 */
export function formatTimelineEvent(event: TimelineEvent): string {
  return `[pipeline ${formatPipelineTime(event.pipelineMs)} | real ${`${Math.round(event.elapsedMs)}ms`.padStart(8)}] ${describe(event)}`;
}

function describe(event: TimelineEvent): string {
  switch (event.type) {
    case TimelineEventType.ActionStarted:
      return `action started (function ${event.functionName})`;
    case TimelineEventType.JobCreated:
      return `job ${event.sequence} created: ${event.jobId}${event.continuationToken === undefined ? '' : ` (token ${truncate(event.continuationToken)})`}`;
    case TimelineEventType.InvocationStarted:
      return `${event.invocationId} started (${event.containerId}${event.coldStart ? ', cold' : ''})`;
    case TimelineEventType.InvocationEnded:
      return `${event.invocationId} returned`;
    case TimelineEventType.InvocationErrored:
      return `${event.invocationId} errored: ${event.error.name}: ${event.error.message}`;
    case TimelineEventType.InvocationTimedOut:
      return `${event.invocationId} timed out after ${event.timeoutMs} ms`;
    case TimelineEventType.InvocationCrashed:
      return `${event.invocationId} crashed: ${event.reason}`;
    case TimelineEventType.RetryScheduled:
      return `job ${event.sequence} delivery ${event.delivery}: attempt ${event.attempt} in ${formatPipelineTime(event.delayMs)}`;
    case TimelineEventType.RetriesExhausted:
      return `job ${event.sequence} delivery ${event.delivery}: retries exhausted`;
    case TimelineEventType.ReportReceived: {
      const outcome = event.accepted ? 'accepted' : `refused (${event.error})`;
      return `job ${event.sequence} ${event.operation} ${outcome}${event.answered ? '' : ', answer lost'}: ${truncate(JSON.stringify(event.request), 160)}`;
    }
    case TimelineEventType.ApiCalled:
      return `job ${event.sequence} ${event.operation}${event.error ? ` refused (${event.error})` : ''}`;
    case TimelineEventType.FaultInjected:
      return `fault ${event.fault} on job ${event.sequence}${event.invocationId ? ` (${event.invocationId})` : ''}: ${event.detail}`;
    case TimelineEventType.JobTimedOut:
      return `job ${event.sequence} timed out (${event.reason})`;
    case TimelineEventType.ActionFinished:
      return `action ${event.status} (${event.reason})${event.failureDetails ? `: ${event.failureDetails.type}: ${event.failureDetails.message}` : ''}`;
    case TimelineEventType.HandlerOutput:
      return `${event.invocationId ?? event.containerId} ${event.stream}: ${event.text}`;
  }
}

function formatPipelineTime(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = ((total % 60_000) / 1000).toFixed(3).padStart(6, '0');
  return `${String(hours).padStart(2)}:${String(minutes).padStart(2, '0')}:${seconds}`;
}

function truncate(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
