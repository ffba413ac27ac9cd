import type { CodePipelineOperation } from './codepipeline-shapes.js';

/** The faults the emulator can inject into an action. */
export const FaultKind = {
  /** Lambda delivers a job's event a second time. */
  DuplicateDelivery: 'duplicate-delivery',
  /** The server applies a request, then closes the connection before answering. */
  ResponseLost: 'response-lost',
  /** The server answers `ThrottlingException` (HTTP 400) instead of applying. */
  Throttle: 'throttle',
  /** The server answers `InternalServerError` (500) or `ServiceUnavailable` (503). */
  ServerError: 'server-error',
  /** The container running an invocation is killed for real at a chosen moment. */
  CutOff: 'cut-off',
} as const;
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];

/** When a duplicate delivery arrives. */
export const DuplicateMode = {
  /** After the first invocation of the event ended (however it ended). */
  Sequential: 'sequential',
  /** At the same moment as the first delivery, in a second container. */
  Concurrent: 'concurrent',
} as const;
export type DuplicateMode = (typeof DuplicateMode)[keyof typeof DuplicateMode];

/** Marker moments at which a cut-off fault can strike. */
export const CutOffPoint = {
  /**
   * The first report request (`PutJobSuccessResult`/`PutJobFailureResult`) of
   * the invocation's job arrives: the container is killed and the report is
   * dropped, never applied (the function died while reporting).
   */
  ReportReceived: 'report-received',
  /**
   * The first report of the job has been applied: the container is killed
   * before the answer reaches it (the function died right after reporting).
   */
  ReportApplied: 'report-applied',
} as const;
export type CutOffPoint = (typeof CutOffPoint)[keyof typeof CutOffPoint];

/**
 * Which jobs of the action a fault hits. Every field narrows; none set = all.
 * Counters are 1-based: the first job of an action is sequence 1.
 */
export interface JobSelector {
  /** Job sequence number(s) in the action (1 = the first job, 2 = the first continuation, ...). */
  sequence?: number | readonly number[];
  /**
   * Chance (0–1) that a job picked by the other fields is hit, drawn from the
   * action's `seed`: the same seed hits the same jobs on every run.
   * @default 1
   */
  probability?: number;
}

/** Which invocations a fault hits. */
export interface InvocationSelector extends JobSelector {
  /** Lambda attempt(s): 1 = first try, 2 and 3 = Lambda's retries. */
  attempt?: number | readonly number[];
  /** Delivery number(s): 1 = the event's first delivery, 2 = a duplicate. */
  delivery?: number | readonly number[];
}

/** Lambda delivers the event of a job a second time. */
export interface DuplicateDeliveryFault {
  kind: typeof FaultKind.DuplicateDelivery;
  mode: DuplicateMode;
  when?: JobSelector;
}

/** Options shared by the faults that act on API requests about a job. */
export interface RequestFaultOptions {
  /**
   * How many of the job's matching requests are hit, counting from its first.
   * @default 1
   */
  times?: number;
  /**
   * The operations hit.
   * @default ['PutJobSuccessResult', 'PutJobFailureResult']
   */
  operations?: readonly CodePipelineOperation[];
  when?: JobSelector;
}

/** A report is applied, but its HTTP answer is lost (the socket is destroyed). */
export interface ResponseLostFault extends RequestFaultOptions {
  kind: typeof FaultKind.ResponseLost;
}

/** Requests are refused with `ThrottlingException` (HTTP 400) and not applied. */
export interface ThrottleFault extends RequestFaultOptions {
  kind: typeof FaultKind.Throttle;
}

/** Requests are refused with a 5xx and not applied. */
export interface ServerErrorFault extends RequestFaultOptions {
  kind: typeof FaultKind.ServerError;
  /**
   * 500 answers `InternalServerError`, 503 answers `ServiceUnavailable`.
   * @default 500
   */
  statusCode?: 500 | 503;
}

/**
 * Kills the container of an invocation for real (worker terminated, process
 * SIGKILLed). Needs an isolated handler (a module spec).
 */
export interface CutOffFault {
  kind: typeof FaultKind.CutOff;
  /** After this many real milliseconds of the invocation, or at a marker. */
  at: { afterMs: number } | CutOffPoint;
  when?: InvocationSelector;
}

/** A fault to inject into an emulated action. */
export type Fault =
  | DuplicateDeliveryFault
  | ResponseLostFault
  | ThrottleFault
  | ServerErrorFault
  | CutOffFault;

/** One time a fault struck. */
export interface FaultStrike {
  jobId: string;
  /** Job sequence in the action, from 1. */
  sequence: number;
  /** The invocation hit (cut-offs) or delivered (duplicates), if one was. */
  invocationId?: string;
  /** What the fault did, as on the timeline. */
  detail: string;
  /** Pipeline milliseconds since the action started. */
  pipelineMs: number;
  /** Real milliseconds since the action started. */
  elapsedMs: number;
}

/** What became of one requested fault. */
export interface FaultReport {
  /** The fault as requested. */
  fault: Fault;
  /** Its index in the `faults` option. */
  index: number;
  /** Whether it struck at least once. */
  fired: boolean;
  /** Every time it struck, in order; empty when it never did. */
  strikes: FaultStrike[];
}
