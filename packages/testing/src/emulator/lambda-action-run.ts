import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorConfigurationError, EmulatorStoppedError } from './codepipeline-errors.js';
import type { JobRequest, JobRequestHooks, JobRequestOutcome } from './codepipeline-server.js';
import {
  type CodePipelineJobEvent,
  type ExecutionDetails,
  type FailureDetails,
  FailureType,
  JobStatus,
  REPORT_OPERATIONS,
} from './codepipeline-shapes.js';
import { ContainerPool } from './container-pool.js';
import { FaultPlan } from './fault-plan.js';
import { type CutOffFault, CutOffPoint, DuplicateMode, FaultKind } from './faults.js';
import { parseHandlerModuleSpec } from './handler-module-spec.js';
import { InProcessContainer } from './in-process-container.js';
import { IsolatedContainer, Isolation } from './isolated-container.js';
import {
  buildJobData,
  createArtifactCredentials,
  DEFAULT_LAMBDA_EVENT_TEMPLATE,
  encodeUserParameters,
  type LambdaEventTemplate,
  toLambdaEvent,
} from './job-event-template.js';
import type { EmulatedJob, JobRegistry, JobResult } from './job-registry.js';
import type {
  ActionInvocation,
  ActionJob,
  LambdaActionOptions,
  LambdaActionResult,
} from './lambda-action-options.js';
import {
  type InvocationOutcome,
  InvocationOutcomeKind,
  type LambdaContainer,
} from './lambda-container.js';
import { PipelineClock } from './pipeline-clock.js';
import {
  ActionFinishReason,
  type ActionStatus,
  type InvocationRef,
  type TimelineEvent,
  TimelineEventType,
} from './timeline.js';

/** What a run needs from the emulator it plays on. */
export interface ActionRunHost {
  registry: JobRegistry;
  endpoint: string;
  region: string;
  /** Default `timeScale`. */
  timeScale: number;
  /** Routes the server's requests about a job to `hooks`. */
  attachJob(jobId: string, hooks: JobRequestHooks): void;
  /** Stops routing requests about a job (they are then applied plainly). */
  detachJob(jobId: string): void;
}

/** A job of this action, with what the run keeps about it. */
interface JobState {
  job: EmulatedJob;
  sequence: number;
  event: CodePipelineJobEvent;
  awsRequestId: string;
  result: Promise<JobResult>;
}

/** An invocation in flight. */
interface RunningInvocation {
  ref: InvocationRef;
  container: LambdaContainer;
  cutOff: CutOffFault | undefined;
  cutOffFired: boolean;
}

/** How waiting for a job ended. */
type JobWait =
  | { kind: 'result'; result: JobResult }
  | { kind: typeof ActionFinishReason.NoReply }
  | { kind: typeof ActionFinishReason.ActionTimeout };

interface Conclusion {
  status: ActionStatus;
  reason: ActionFinishReason;
  failureDetails?: FailureDetails;
  outputVariables: Record<string, string>;
}

const DEFAULTS = {
  functionTimeoutMs: 30_000,
  memoryLimitInMB: 1024,
  deliveryDelayMs: 1_000,
  continuationDelayMs: 30_000,
  retryDelaysMs: [60_000, 120_000],
  noReplyTimeoutMs: 20 * 60_000,
  actionTimeoutMs: 24 * 60 * 60_000,
} as const;

/**
 * Plays one Lambda invoke action the way CodePipeline and Lambda do: a job per
 * continuation, asynchronous invocations with Lambda's retries, the no-reply
 * and total timeouts, and the faults asked for. One instance plays once; use
 * it through `emulator.runLambdaAction()`.
 *
 * @example
 * ```ts
 * const run = new LambdaActionRun(host, { handler: './handler.ts#handler', timeScale: 1 / 1000 });
 * const result = await run.play();
 * ```
 */
export class LambdaActionRun {
  private readonly timeScale: number;
  /** Made anew when the action starts playing: pipeline time 0 is the action's start. */
  private clock: PipelineClock;
  private readonly plan: FaultPlan;
  private readonly pool: ContainerPool;
  private readonly template: LambdaEventTemplate;
  private readonly functionName: string;
  private readonly accountId: string;
  private readonly timeline: TimelineEvent[] = [];
  private readonly jobs: JobState[] = [];
  private readonly invocations: ActionInvocation[] = [];
  private readonly running = new Map<string, Set<RunningInvocation>>();
  private readonly lastInvocationIn = new Map<string, string>();
  private readonly tasks = new Set<Promise<void>>();
  /** Aborted when no more invocations may be scheduled (stop, abort, or no waiting for late ones). */
  private readonly scheduling = new AbortController();
  private startedAt = performance.now();
  private readonly aborted: Promise<never>;
  private rejectAborted!: (error: unknown) => void;
  private abortError: unknown;
  private internalError: unknown;
  private lastExecutionDetails: ExecutionDetails | undefined;

  private readonly host: ActionRunHost;
  private readonly options: LambdaActionOptions;

  public constructor(host: ActionRunHost, options: LambdaActionOptions) {
    this.host = host;
    this.options = options;
    const timeScale = options.timeScale ?? host.timeScale;
    if (!(timeScale > 0 && Number.isFinite(timeScale))) {
      throw new EmulatorConfigurationError(`timeScale must be a positive number, got ${timeScale}`);
    }
    this.timeScale = timeScale;
    this.plan = new FaultPlan(options.faults ?? [], options.seed ?? 1);
    this.clock = new PipelineClock(timeScale);
    this.template = options.eventTemplate ?? DEFAULT_LAMBDA_EVENT_TEMPLATE;
    const templateJob = this.template['CodePipeline.job'];
    this.functionName =
      options.functionName ??
      templateJob?.data?.actionConfiguration?.configuration?.FunctionName ??
      'my-function';
    this.accountId = templateJob?.accountId ?? '123456789012';
    this.pool = this.createPool();
    this.aborted = new Promise<never>((_, reject) => {
      this.rejectAborted = reject;
    });
    // Raced only while playing; an abort at another moment must not be unhandled.
    this.aborted.catch(() => {});
    for (const [name, value] of Object.entries({
      functionTimeoutMs: options.functionTimeoutMs,
      deliveryDelayMs: options.deliveryDelayMs,
      continuationDelayMs: options.continuationDelayMs,
      noReplyTimeoutMs: options.noReplyTimeoutMs,
      actionTimeoutMs: options.actionTimeoutMs,
    })) {
      if (value !== undefined && !(value >= 0)) {
        throw new EmulatorConfigurationError(`${name} must be a non-negative number, got ${value}`);
      }
    }
    if (options.retryDelaysMs?.some((delay) => !(delay >= 0))) {
      throw new EmulatorConfigurationError(
        `retryDelaysMs must hold non-negative numbers, got [${options.retryDelaysMs.join(', ')}]`,
      );
    }
  }

  /** Plays the action to its end (and, by default, until late invocations are over). */
  public async play(): Promise<LambdaActionResult> {
    const { signal } = this.options;
    this.clock = new PipelineClock(this.timeScale);
    this.startedAt = performance.now();
    const onAbort = () =>
      this.abort(signal?.reason ?? new EmulatorStoppedError('The action was aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) onAbort();
      const conclusion = await Promise.race([this.playJobs(), this.aborted]);
      const pipelineMs = this.clock.now();
      this.record({
        type: TimelineEventType.ActionFinished,
        status: conclusion.status,
        reason: conclusion.reason,
        ...(conclusion.failureDetails ? { failureDetails: conclusion.failureDetails } : {}),
      });
      if (this.options.waitForLateInvocations ?? true) {
        await Promise.race([this.settleTasks(), this.aborted]);
      }
      if (this.internalError !== undefined) throw this.internalError;
      return this.result(conclusion, pipelineMs);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await this.shutDown();
    }
  }

  /**
   * Stops the action now: it rejects with `error`, its containers are killed
   * and nothing more is scheduled.
   */
  public abort(error: unknown): void {
    if (this.abortError !== undefined) return;
    this.abortError = error;
    this.scheduling.abort(error);
    this.rejectAborted(error);
    void this.pool.dispose('the action was aborted');
  }

  private async playJobs(): Promise<Conclusion> {
    this.record({ type: TimelineEventType.ActionStarted, functionName: this.functionName });
    let deadlineReached!: () => void;
    const deadline = new Promise<typeof ActionFinishReason.ActionTimeout>((resolve) => {
      deadlineReached = () => resolve(ActionFinishReason.ActionTimeout);
    });
    this.clock.setTimer(this.options.actionTimeoutMs ?? DEFAULTS.actionTimeoutMs, deadlineReached);

    let token: string | undefined;
    for (let sequence = 1; ; sequence += 1) {
      const state = this.createJob(sequence, token);
      const wait = await this.waitForJob(state, deadline);
      if (wait.kind !== 'result') return this.timeOut(state, wait.kind);
      const { result } = wait;
      if (result.kind === 'failure') {
        return {
          status: 'Failed',
          reason: ActionFinishReason.FailureReported,
          failureDetails: result.input.failureDetails,
          outputVariables: {},
        };
      }
      if (result.input.continuationToken === undefined) {
        return {
          status: 'Succeeded',
          reason: ActionFinishReason.Succeeded,
          outputVariables: result.input.outputVariables ?? {},
        };
      }
      token = result.input.continuationToken;
      const delay = this.clock.sleep(
        this.options.continuationDelayMs ?? DEFAULTS.continuationDelayMs,
      );
      if ((await Promise.race([delay, deadline])) === ActionFinishReason.ActionTimeout) {
        return this.timeOut(undefined, ActionFinishReason.ActionTimeout);
      }
    }
  }

  private createJob(sequence: number, continuationToken: string | undefined): JobState {
    let resolveResult!: (result: JobResult) => void;
    const result = new Promise<JobResult>((resolve) => {
      resolveResult = resolve;
    });
    const userParameters =
      this.options.userParameters === undefined
        ? undefined
        : encodeUserParameters(this.options.userParameters);
    const job = this.host.registry.create({
      accountId: this.accountId,
      data: buildJobData(this.template, {
        functionName: this.functionName,
        ...(userParameters === undefined ? {} : { userParameters }),
        ...(continuationToken === undefined ? {} : { continuationToken }),
        artifactCredentials: createArtifactCredentials(),
      }),
      onResult: (_job, accepted) => {
        if (accepted.kind === 'success' && accepted.input.executionDetails) {
          this.lastExecutionDetails = accepted.input.executionDetails;
        }
        resolveResult(accepted);
      },
    });
    const state: JobState = {
      job,
      sequence,
      event: toLambdaEvent(job.id, job.accountId, job.data),
      awsRequestId: randomUUID(),
      result,
    };
    this.jobs.push(state);
    this.host.attachJob(job.id, this.hooksFor(state));
    this.record({
      type: TimelineEventType.JobCreated,
      jobId: job.id,
      sequence,
      ...(continuationToken === undefined ? {} : { continuationToken }),
    });
    this.track(this.deliver(state, 1, this.options.deliveryDelayMs ?? DEFAULTS.deliveryDelayMs));
    return state;
  }

  private async waitForJob(
    state: JobState,
    deadline: Promise<typeof ActionFinishReason.ActionTimeout>,
  ): Promise<JobWait> {
    let cancelNoReply = () => {};
    const noReply = new Promise<JobWait>((resolve) => {
      cancelNoReply = this.clock.setTimer(
        this.options.noReplyTimeoutMs ?? DEFAULTS.noReplyTimeoutMs,
        () => resolve({ kind: ActionFinishReason.NoReply }),
      );
    });
    try {
      return await Promise.race([
        state.result.then((result): JobWait => ({ kind: 'result', result })),
        noReply,
        deadline.then((kind): JobWait => ({ kind })),
      ]);
    } finally {
      cancelNoReply();
    }
  }

  private timeOut(
    state: JobState | undefined,
    reason: typeof ActionFinishReason.NoReply | typeof ActionFinishReason.ActionTimeout,
  ): Conclusion {
    if (state) {
      this.host.registry.close(state.job.id, JobStatus.TimedOut);
      this.record({
        type: TimelineEventType.JobTimedOut,
        jobId: state.job.id,
        sequence: state.sequence,
        reason,
      });
    }
    const message =
      reason === ActionFinishReason.NoReply
        ? `The Lambda function ${this.functionName} sent no result for job ${state?.job.id} within ${formatMinutes(this.options.noReplyTimeoutMs ?? DEFAULTS.noReplyTimeoutMs)}`
        : `The action did not complete within ${formatMinutes(this.options.actionTimeoutMs ?? DEFAULTS.actionTimeoutMs)}`;
    return {
      status: 'Failed',
      reason,
      failureDetails: { type: FailureType.JobFailed, message },
      outputVariables: {},
    };
  }

  /** One delivery of a job's event: the first invocation and Lambda's retries. */
  private async deliver(state: JobState, delivery: number, delayMs: number): Promise<void> {
    const signal = this.scheduling.signal;
    if (delayMs > 0) await this.clock.sleep(delayMs, signal);
    const duplicate = delivery === 1 ? this.plan.duplicateFor(state.sequence) : undefined;
    if (duplicate?.mode === DuplicateMode.Concurrent) {
      this.recordFault(state, FaultKind.DuplicateDelivery, 'the event is delivered twice at once');
      this.track(this.deliver(state, 2, 0));
    }
    const retryDelays = this.options.retryDelaysMs ?? DEFAULTS.retryDelaysMs;
    for (let attempt = 1; attempt <= retryDelays.length + 1; attempt += 1) {
      if (attempt > 1) {
        const delay = retryDelays[attempt - 2] ?? 0;
        this.record({
          type: TimelineEventType.RetryScheduled,
          jobId: state.job.id,
          sequence: state.sequence,
          delivery,
          attempt,
          delayMs: delay,
        });
        await this.clock.sleep(delay, signal);
      }
      if (signal.aborted) return;
      const outcome = await this.invoke(state, delivery, attempt);
      if (attempt === 1 && duplicate?.mode === DuplicateMode.Sequential && !signal.aborted) {
        this.recordFault(
          state,
          FaultKind.DuplicateDelivery,
          'the event is delivered again after the first invocation ended',
        );
        this.track(this.deliver(state, 2, 0));
      }
      if (outcome.kind === InvocationOutcomeKind.Returned) return;
    }
    this.record({
      type: TimelineEventType.RetriesExhausted,
      jobId: state.job.id,
      sequence: state.sequence,
      delivery,
    });
  }

  private async invoke(
    state: JobState,
    delivery: number,
    attempt: number,
  ): Promise<InvocationOutcome> {
    const ref: InvocationRef = {
      jobId: state.job.id,
      sequence: state.sequence,
      invocationId: `j${state.sequence}-d${delivery}-a${attempt}`,
      delivery,
      attempt,
    };
    const container = this.pool.acquire();
    const coldStart = container.invocationCount === 0;
    const running: RunningInvocation = {
      ref,
      container,
      cutOff: this.plan.cutOffFor(state.sequence, delivery, attempt),
      cutOffFired: false,
    };
    const runningOfJob = this.running.get(state.job.id) ?? new Set();
    runningOfJob.add(running);
    this.running.set(state.job.id, runningOfJob);
    this.lastInvocationIn.set(container.id, ref.invocationId);
    const backToFastTime = this.clock.enterRealTime();
    this.record({
      type: TimelineEventType.InvocationStarted,
      ...ref,
      awsRequestId: state.awsRequestId,
      containerId: container.id,
      coldStart,
    });
    let cutOffTimer: ReturnType<typeof setTimeout> | undefined;
    let outcome: InvocationOutcome;
    try {
      outcome = await container.invoke({
        invocationId: ref.invocationId,
        event: state.event,
        context: {
          functionName: this.functionName,
          awsRequestId: state.awsRequestId,
          region: this.host.region,
          accountId: this.accountId,
          memoryLimitInMB: this.options.memoryLimitInMB ?? DEFAULTS.memoryLimitInMB,
        },
        timeoutMs: this.options.functionTimeoutMs ?? DEFAULTS.functionTimeoutMs,
        onHandlerStart: () => {
          const at = running.cutOff?.at;
          if (typeof at === 'object') {
            cutOffTimer = setTimeout(
              () => void this.cutOff(running, `killed ${at.afterMs} ms into the invocation`),
              at.afterMs,
            );
          }
        },
      });
      // Stamped before the clock speeds up again.
      this.recordOutcome(ref, state.awsRequestId, container.id, coldStart, outcome);
    } finally {
      clearTimeout(cutOffTimer);
      runningOfJob.delete(running);
      backToFastTime();
      this.pool.release(container);
    }
    return outcome;
  }

  private recordOutcome(
    ref: InvocationRef,
    awsRequestId: string,
    containerId: string,
    coldStart: boolean,
    outcome: InvocationOutcome,
  ): void {
    this.invocations.push({ ...ref, awsRequestId, containerId, coldStart, outcome });
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

  private async cutOff(running: RunningInvocation, detail: string): Promise<void> {
    if (running.cutOffFired) return;
    running.cutOffFired = true;
    const state = this.jobs.find((candidate) => candidate.job.id === running.ref.jobId);
    if (state) this.recordFault(state, FaultKind.CutOff, detail, running.ref.invocationId);
    await running.container.kill(`cut off by fault: ${detail}`);
  }

  /** Running invocations of the job whose cut-off strikes at `point` and has not yet. */
  private cutOffVictims(jobId: string, point: CutOffPoint): RunningInvocation[] {
    return [...(this.running.get(jobId) ?? [])].filter(
      (running) => running.cutOff?.at === point && !running.cutOffFired,
    );
  }

  private hooksFor(state: JobState): JobRequestHooks {
    return {
      beforeApply: async (request) => {
        const isReport = REPORT_OPERATIONS.includes(request.operation);
        const victims = isReport
          ? this.cutOffVictims(state.job.id, CutOffPoint.ReportReceived)
          : [];
        if (victims.length > 0) {
          await Promise.all(
            victims.map((victim) =>
              this.cutOff(victim, 'killed when its report arrived; the report is dropped'),
            ),
          );
          this.recordRequest(state, request, {
            accepted: false,
            error: 'dropped',
            answered: false,
          });
          return { action: 'drop' };
        }
        const refusal = this.plan.refusalFor(state.sequence, state.job.id, request.operation);
        if (!refusal) return undefined;
        this.recordFault(
          state,
          refusal.fault.kind,
          `${request.operation} answered ${refusal.error.statusCode} ${refusal.error.errorName}`,
        );
        this.recordRequest(state, request, {
          accepted: false,
          error: refusal.error.errorName,
          answered: true,
        });
        return { action: 'fail', error: refusal.error };
      },
      afterApply: async (request, outcome) => {
        const isReport = REPORT_OPERATIONS.includes(request.operation);
        const victims =
          isReport && outcome.ok ? this.cutOffVictims(state.job.id, CutOffPoint.ReportApplied) : [];
        const lost =
          victims.length === 0
            ? this.plan.responseLostFor(state.sequence, state.job.id, request.operation)
            : undefined;
        const answered = victims.length === 0 && !lost;
        this.recordRequest(state, request, {
          accepted: outcome.ok,
          ...errorOf(outcome),
          answered,
        });
        if (lost) {
          this.recordFault(
            state,
            FaultKind.ResponseLost,
            `${request.operation} applied, its answer is lost`,
          );
        }
        await Promise.all(
          victims.map((victim) =>
            this.cutOff(victim, 'killed after its report was applied, before the answer'),
          ),
        );
        return answered ? undefined : { action: 'drop' };
      },
    };
  }

  private recordRequest(
    state: JobState,
    request: JobRequest,
    outcome: { accepted: boolean; error?: string; answered: boolean },
  ): void {
    if (REPORT_OPERATIONS.includes(request.operation)) {
      this.record({
        type: TimelineEventType.ReportReceived,
        jobId: state.job.id,
        sequence: state.sequence,
        operation: request.operation,
        request: request.body,
        accepted: outcome.accepted,
        ...(outcome.error === undefined ? {} : { error: outcome.error }),
        answered: outcome.answered,
      });
    } else {
      this.record({
        type: TimelineEventType.ApiCalled,
        jobId: state.job.id,
        sequence: state.sequence,
        operation: request.operation,
        ...(outcome.error === undefined ? {} : { error: outcome.error }),
      });
    }
  }

  private recordFault(
    state: JobState,
    fault: FaultKind,
    detail: string,
    invocationId?: string,
  ): void {
    this.record({
      type: TimelineEventType.FaultInjected,
      fault,
      jobId: state.job.id,
      sequence: state.sequence,
      ...(invocationId === undefined ? {} : { invocationId }),
      detail,
    });
  }

  private record(event: DistributiveOmit<TimelineEvent, 'elapsedMs' | 'pipelineMs'>): void {
    const stamped = {
      ...event,
      elapsedMs: performance.now() - this.startedAt,
      pipelineMs: this.clock.now(),
    } as TimelineEvent;
    this.timeline.push(stamped);
    try {
      this.options.onEvent?.(stamped);
    } catch {
      // A failing display callback must not break the action under test.
    }
  }

  /** Keeps a background task; a bug in it (not an abort) fails the play. */
  private track(task: Promise<void>): void {
    const tracked = task.catch((err: unknown) => {
      if (this.scheduling.signal.aborted) return;
      this.internalError ??= err;
    });
    this.tasks.add(tracked);
    void tracked.finally(() => this.tasks.delete(tracked));
  }

  private async settleTasks(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all([...this.tasks]);
  }

  private async shutDown(): Promise<void> {
    if (!this.scheduling.signal.aborted)
      this.scheduling.abort(new EmulatorStoppedError('The action ended'));
    await this.pool.dispose();
    this.clock.dispose();
    for (const state of this.jobs) {
      this.host.registry.close(state.job.id, JobStatus.TimedOut);
      this.host.detachJob(state.job.id);
    }
  }

  private createPool(): ContainerPool {
    const { handler } = this.options;
    if (typeof handler === 'function') {
      if (this.plan.needsIsolation) {
        throw new EmulatorConfigurationError(
          'cut-off faults kill the container for real, so they need a module-spec handler (run in a worker or child process), not an in-process function',
        );
      }
      return new ContainerPool((id) => new InProcessContainer(id, handler));
    }
    if (typeof handler !== 'string') {
      throw new EmulatorConfigurationError('handler must be a function or a module spec string');
    }
    const module = parseHandlerModuleSpec(handler, this.options.cwd ?? process.cwd());
    const env = this.containerEnvironment();
    const echo = this.options.echoHandlerOutput ?? false;
    return new ContainerPool(
      (id) =>
        new IsolatedContainer({
          id,
          isolation: this.options.isolation ?? Isolation.Worker,
          module,
          env,
          conditions: this.options.conditions ?? ['source'],
          onOutput: (stream, text) => {
            if (echo) (stream === 'stdout' ? process.stdout : process.stderr).write(`${text}\n`);
            const invocationId = this.lastInvocationIn.get(id);
            this.record({
              type: TimelineEventType.HandlerOutput,
              containerId: id,
              ...(invocationId === undefined ? {} : { invocationId }),
              stream,
              text,
            });
          },
        }),
    );
  }

  /**
   * What an isolated handler sees in `process.env`: like a Lambda function,
   * only what is configured, never the host's own credentials.
   */
  private containerEnvironment(): Record<string, string> {
    const region = process.env.AWS_REGION ?? this.host.region;
    // A path that does not exist: the SDK then ignores the host's ~/.aws files.
    const noConfig = join(tmpdir(), 'baton-emulator-no-aws-config');
    const env: Record<string, string> = {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: 'emulated',
      AWS_SECRET_ACCESS_KEY: 'emulated',
      AWS_CONFIG_FILE: noConfig,
      AWS_SHARED_CREDENTIALS_FILE: noConfig,
      AWS_ENDPOINT_URL_CODEPIPELINE: this.host.endpoint,
      AWS_LAMBDA_FUNCTION_NAME: this.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(
        this.options.memoryLimitInMB ?? DEFAULTS.memoryLimitInMB,
      ),
    };
    for (const name of [
      'AWS_ENDPOINT_URL_DYNAMODB',
      'BATON_TABLE_NAME',
      'PATH',
      'HOME',
      'TMPDIR',
    ]) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    return { ...env, ...this.options.environment };
  }

  private result(conclusion: Conclusion, pipelineMs: number): LambdaActionResult {
    const jobs: ActionJob[] = this.jobs.map((state) => ({
      id: state.job.id,
      sequence: state.sequence,
      ...(state.job.data.continuationToken === undefined
        ? {}
        : { continuationToken: state.job.data.continuationToken }),
      status: state.job.status,
      ...(state.job.result ? { result: state.job.result } : {}),
      event: state.event,
      artifactCredentials: state.job.data.artifactCredentials!,
    }));
    return {
      status: conclusion.status,
      reason: conclusion.reason,
      ...(conclusion.failureDetails ? { failureDetails: conclusion.failureDetails } : {}),
      outputVariables: conclusion.outputVariables,
      ...(this.lastExecutionDetails ? { executionDetails: this.lastExecutionDetails } : {}),
      jobs,
      invocations: [...this.invocations],
      timeline: [...this.timeline],
      pipelineMs,
      elapsedMs: performance.now() - this.startedAt,
    };
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function errorOf(outcome: JobRequestOutcome): { error?: string } {
  return outcome.ok ? {} : { error: outcome.error.errorName };
}

function formatMinutes(ms: number): string {
  const minutes = ms / 60_000;
  return minutes >= 120 ? `${minutes / 60} hours` : `${minutes} minutes`;
}
