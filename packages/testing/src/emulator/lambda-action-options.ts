import type {
  ArtifactCredentials,
  CodePipelineJobEvent,
  ExecutionDetails,
  FailureDetails,
  JobStatus,
} from './codepipeline-shapes.js';
import type { Isolation } from './container-channel.js';
import type { Fault, FaultReport } from './faults.js';
import type { LambdaEventTemplate, UserParametersValue } from './job-event-template.js';
import type { JobResult } from './job-registry.js';
import type { InvocationOutcome, LambdaHandler } from './lambda-container.js';
import type { ActionFinishReason, ActionStatus, InvocationRef, TimelineEvent } from './timeline.js';

/** The clock an isolated handler sees; see {@link LambdaActionOptions.handlerClock}. */
export const HandlerClock = {
  /** Pipeline time: waits skipped, frozen between invocations. */
  Pipeline: 'pipeline',
  /** The host's real clock. */
  Real: 'real',
} as const;
export type HandlerClock = (typeof HandlerClock)[keyof typeof HandlerClock];

/** Options of `emulator.runLambdaAction()`: the function, the action, pipeline timing and faults. */
export interface LambdaActionOptions {
  /**
   * The function under test. Either a function run in this process (it must
   * send its reports to `emulator.endpoint` itself, see the README), or a
   * module spec `'<path-or-package>#<export>'` (export defaults to `handler`)
   * loaded in an isolated container whose `AWS_ENDPOINT_URL_CODEPIPELINE`
   * points at the emulator.
   */
  handler: LambdaHandler | string;
  /**
   * Where a module-spec handler runs.
   * @default 'worker'
   */
  isolation?: Isolation;
  /**
   * Directory module specs resolve from.
   * @default process.cwd()
   */
  cwd?: string;
  /**
   * Node.js `--conditions` for isolated handlers; `source` makes workspace
   * packages resolve to their TypeScript sources.
   * @default ['source']
   */
  conditions?: readonly string[];
  /**
   * Extra environment for isolated handlers; wins over the emulator's
   * (`AWS_ENDPOINT_URL_CODEPIPELINE`, `AWS_REGION`, dummy credentials,
   * `BATON_HTTP_ALLOW_LOOPBACK=1` since the emulated world is on loopback, and
   * `AWS_ENDPOINT_URL_DYNAMODB`/`BATON_TABLE_NAME` passed through).
   * @default {}
   */
  environment?: Record<string, string>;
  /**
   * Also write isolated handlers' output to this process's stdout/stderr. It is
   * always recorded on the timeline as `handler-output` events.
   * @default false
   */
  echoHandlerOutput?: boolean;
  /**
   * The function's name (`context.functionName`, `FunctionName` in the event).
   * @default the template's `FunctionName`, else 'my-function'
   */
  functionName?: string;
  /**
   * The Lambda function timeout in real milliseconds (not scaled): an
   * invocation still running then is stopped and counts as an error.
   * @default 30000
   */
  functionTimeoutMs?: number;
  /**
   * `context.memoryLimitInMB`.
   * @default 1024
   */
  memoryLimitInMB?: number;
  /**
   * The action's `UserParameters`. A string is sent as is; anything else is
   * JSON-encoded; `null` leaves the parameter out.
   * @default the template's
   */
  userParameters?: UserParametersValue;
  /**
   * The event every job starts from (the seed shape). Its `id`,
   * `artifactCredentials` and `continuationToken` are replaced per job.
   * @default DEFAULT_LAMBDA_EVENT_TEMPLATE
   */
  eventTemplate?: LambdaEventTemplate;
  /**
   * Real milliseconds per pipeline millisecond while no handler runs, e.g.
   * 1/1000 makes a pipeline minute last 60 ms. Handlers always run in real time.
   * @default the emulator's `timeScale` (1)
   */
  timeScale?: number;
  /**
   * The clock an isolated handler sees. `'pipeline'`: its `Date`,
   * `performance.now()` and timers read pipeline time (real speed while it
   * works; a wait for its own timer is skipped; frozen between invocations),
   * so a production handler with its default options meets Lambda's retries,
   * continuations and duplicates as in AWS. `'real'`: the host's clock, as
   * before; waits are slept. In-process handlers always see the real clock.
   * @default 'pipeline'
   */
  handlerClock?: HandlerClock;
  /**
   * Pipeline milliseconds from a job's creation to its first invocation.
   * @default 1000
   */
  deliveryDelayMs?: number;
  /**
   * Pipeline milliseconds from a success with a continuation token to the next
   * job (AWS does not document it).
   * @default 30000
   */
  continuationDelayMs?: number;
  /**
   * Pipeline delays before Lambda's retries of an invocation that threw, timed
   * out or crashed; one retry per entry.
   * @default [60000, 120000]
   */
  retryDelaysMs?: readonly number[];
  /**
   * Pipeline milliseconds a job may go without a result before the action fails.
   * @default 1200000 (20 minutes)
   */
  noReplyTimeoutMs?: number;
  /**
   * Pipeline milliseconds the whole action may take before it fails.
   * @default 86400000 (24 hours)
   */
  actionTimeoutMs?: number;
  /**
   * Faults to inject.
   * @default []
   */
  faults?: readonly Fault[];
  /**
   * Reject with `UnfiredFaultsError` (which carries the result) when a
   * requested fault never fired, e.g. a duplicate aimed at a job the action
   * never reached. `result.faults` says which fired either way.
   * @default false
   */
  failOnUnfiredFaults?: boolean;
  /**
   * Seed of the draws of faults with a `probability`.
   * @default 1
   */
  seed?: number;
  /**
   * After the action finished, wait for invocations still running or scheduled
   * (retries, duplicates), as they would still happen in AWS; their reports
   * are then refused with `InvalidJobStateException`, on the timeline. When
   * false they are stopped (isolated) or abandoned (in-process).
   * @default true
   */
  waitForLateInvocations?: boolean;
  /**
   * Called with each timeline event as it happens, e.g. to print it with
   * `formatTimelineEvent`.
   */
  onEvent?: (event: TimelineEvent) => void;
  /** Aborts the action: it rejects with the signal's reason and stops its containers. */
  signal?: AbortSignal;
}

/** One job of a played action. */
export interface ActionJob {
  id: string;
  /** 1 for the first job, 2 for the first continuation, ... */
  sequence: number;
  /** The token this job carried (none for the first job). */
  continuationToken?: string;
  status: JobStatus;
  /** The result the job accepted, if it got one. */
  result?: JobResult;
  /** The event Lambda got for this job (it holds the job's credentials). */
  event: CodePipelineJobEvent;
  /** This job's fake artifact credentials, to check that they never leak. */
  artifactCredentials: ArtifactCredentials;
}

/** One invocation of a played action. */
export interface ActionInvocation extends InvocationRef {
  awsRequestId: string;
  containerId: string;
  coldStart: boolean;
  /** How it ended. */
  outcome: InvocationOutcome;
}

/** What a played action came to. */
export interface LambdaActionResult {
  status: ActionStatus;
  reason: ActionFinishReason;
  /** Set when the action failed: reported, or the emulator's for timeouts. */
  failureDetails?: FailureDetails;
  /** The final success's output variables (`{}` otherwise). */
  outputVariables: Record<string, string>;
  /** The last `executionDetails` any accepted success carried. */
  executionDetails?: ExecutionDetails;
  jobs: ActionJob[];
  invocations: ActionInvocation[];
  /** Every requested fault, in the order given, with where and when it fired. */
  faults: FaultReport[];
  timeline: TimelineEvent[];
  /** Pipeline milliseconds from start to the end of the action. */
  pipelineMs: number;
  /** Real milliseconds from start until this result (late invocations included). */
  elapsedMs: number;
}
