import {
  type Conclusion,
  concludeFromResult,
  concludeNotLoadable,
  concludeTimedOut,
  type TimeoutReason,
} from './action-conclusion.js';
import { ActionRecorder } from './action-recorder.js';
import { type ActionSettings, resolveActionSettings } from './action-settings.js';
import { BackgroundTasks } from './background-tasks.js';
import { EmulatorStoppedError, UnfiredFaultsError } from './codepipeline-errors.js';
import { createContainerPool } from './container-factory.js';
import type { SerializedError } from './container-messages.js';
import type { ContainerPool } from './container-pool.js';
import { PlannedFaults } from './fault-injector.js';
import { FaultPlan } from './fault-plan.js';
import type { JobResult } from './job-registry.js';
import type { LambdaActionOptions, LambdaActionResult } from './lambda-action-options.js';
import { LambdaRuntime } from './lambda-runtime.js';
import { PipelineClock } from './pipeline-clock.js';
import { type PipelineHost, PipelineJobs, type PlayedJob } from './pipeline-jobs.js';
import { ActionFinishReason, TimelineEventType } from './timeline.js';

/** What a run needs from the emulator it plays on. */
export interface ActionRunHost extends PipelineHost {
  endpoint: string;
  region: string;
  /** Default `timeScale`. */
  timeScale: number;
}

/** How waiting for a job ended. */
type JobWait =
  | { kind: 'result'; result: JobResult }
  | { kind: typeof ActionFinishReason.HandlerNotLoadable; error: SerializedError }
  | { kind: typeof ActionFinishReason.NoReply }
  | { kind: typeof ActionFinishReason.ActionTimeout };

/**
 * Plays one Lambda invoke action the way CodePipeline and Lambda do: a job per
 * continuation (the CodePipeline side, {@link PipelineJobs}), asynchronous
 * invocations with Lambda's retries (the Lambda side, {@link LambdaRuntime}),
 * the no-reply and total timeouts, and the faults asked for (injected through
 * one {@link FaultInjector}). One instance plays once; use it through
 * `emulator.runLambdaAction()`.
 *
 * @example
 * ```ts
 * const run = new LambdaActionRun(host, { handler: './handler.ts#handler', timeScale: 1 / 1000 });
 * const result = await run.play();
 * ```
 */
export class LambdaActionRun {
  private readonly settings: ActionSettings;
  private readonly clock: PipelineClock;
  private readonly recorder: ActionRecorder;
  private readonly tasks = new BackgroundTasks();
  private readonly pool: ContainerPool;
  private readonly jobs: PipelineJobs;
  private readonly runtime: LambdaRuntime;
  private readonly faults: PlannedFaults;
  private readonly aborted: Promise<never>;
  /** Resolves when the handler module turns out not to load. */
  private readonly notLoadable: Promise<SerializedError>;
  private markNotLoadable!: (error: SerializedError) => void;
  private rejectAborted!: (error: unknown) => void;
  private abortError: unknown;
  private readonly options: LambdaActionOptions;

  public constructor(host: ActionRunHost, options: LambdaActionOptions) {
    this.options = options;
    this.settings = resolveActionSettings(options, host.timeScale);
    this.clock = new PipelineClock(this.settings.timeScale);
    this.recorder = new ActionRecorder(options.onEvent);
    const plan = new FaultPlan(options.faults ?? [], options.seed ?? 1);
    const faults = new PlannedFaults(plan, this.recorder, this.clock);
    this.faults = faults;
    this.pool = createContainerPool(options, {
      settings: this.settings,
      endpoint: host.endpoint,
      region: host.region,
      needsIsolation: plan.needsIsolation,
      onOutput: (containerId, stream, text) => {
        const invocationId = this.runtime.invocationIn(containerId);
        this.recorder.record({
          type: TimelineEventType.HandlerOutput,
          containerId,
          ...(invocationId === undefined ? {} : { invocationId }),
          stream,
          text,
        });
      },
    });
    this.jobs = new PipelineJobs(host, this.settings, this.recorder, faults);
    this.notLoadable = new Promise((resolve) => {
      this.markNotLoadable = resolve;
    });
    this.runtime = new LambdaRuntime({
      settings: this.settings,
      region: host.region,
      pool: this.pool,
      clock: this.clock,
      recorder: this.recorder,
      faults,
      tasks: this.tasks,
      onNotLoadable: (error) => this.markNotLoadable(error),
    });
    this.aborted = new Promise<never>((_, reject) => {
      this.rejectAborted = reject;
    });
    // Raced only while playing; an abort at another moment must not be unhandled.
    this.aborted.catch(() => {});
  }

  /** Plays the action to its end (and, by default, until late invocations are over). */
  public async play(): Promise<LambdaActionResult> {
    const { signal } = this.options;
    // Pipeline time 0 is the action's start.
    this.clock.restart();
    this.recorder.start(this.clock);
    const onAbort = () =>
      this.abort(signal?.reason ?? new EmulatorStoppedError('The action was aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) onAbort();
      const conclusion = await Promise.race([this.playJobs(), this.aborted]);
      const pipelineMs = this.clock.now();
      this.recorder.record({
        type: TimelineEventType.ActionFinished,
        status: conclusion.status,
        reason: conclusion.reason,
        ...(conclusion.failureDetails ? { failureDetails: conclusion.failureDetails } : {}),
      });
      if (this.options.waitForLateInvocations ?? true) {
        await Promise.race([this.tasks.settle(), this.aborted]);
      }
      if (this.tasks.failure !== undefined) throw this.tasks.failure;
      // The last invocations' output may still be on its way.
      await this.pool.outputSettled();
      const result = this.result(conclusion, pipelineMs);
      const unfired = result.faults.filter((report) => !report.fired);
      if (this.options.failOnUnfiredFaults && unfired.length > 0) {
        throw new UnfiredFaultsError(unfired, result);
      }
      return result;
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
    this.tasks.stop(error);
    this.rejectAborted(error);
    void this.pool.dispose('the action was aborted');
  }

  private async playJobs(): Promise<Conclusion> {
    this.recorder.record({
      type: TimelineEventType.ActionStarted,
      functionName: this.settings.functionName,
    });
    let deadlineReached!: () => void;
    const deadline = new Promise<typeof ActionFinishReason.ActionTimeout>((resolve) => {
      deadlineReached = () => resolve(ActionFinishReason.ActionTimeout);
    });
    this.clock.setTimer(this.settings.actionTimeoutMs, deadlineReached);

    let token: string | undefined;
    for (let sequence = 1; ; sequence += 1) {
      const job = this.jobs.create(sequence, token);
      this.tasks.track(this.runtime.deliver(job, 1, this.settings.deliveryDelayMs));
      const wait = await this.waitForJob(job, deadline);
      if (wait.kind === ActionFinishReason.HandlerNotLoadable) {
        this.jobs.fail(job);
        return concludeNotLoadable(wait.error);
      }
      if (wait.kind !== 'result') return this.timeOut(job, wait.kind);
      const conclusion = concludeFromResult(wait.result);
      if (conclusion) return conclusion;
      token = wait.result.kind === 'success' ? wait.result.input.continuationToken : undefined;
      const delay = this.clock.sleep(this.settings.continuationDelayMs);
      if ((await Promise.race([delay, deadline])) === ActionFinishReason.ActionTimeout) {
        return this.timeOut(undefined, ActionFinishReason.ActionTimeout);
      }
    }
  }

  private async waitForJob(
    job: PlayedJob,
    deadline: Promise<typeof ActionFinishReason.ActionTimeout>,
  ): Promise<JobWait> {
    let cancelNoReply = () => {};
    const noReply = new Promise<JobWait>((resolve) => {
      cancelNoReply = this.clock.setTimer(this.settings.noReplyTimeoutMs, () =>
        resolve({ kind: ActionFinishReason.NoReply }),
      );
    });
    try {
      return await Promise.race([
        job.result.then((result): JobWait => ({ kind: 'result', result })),
        this.notLoadable.then(
          (error): JobWait => ({ kind: ActionFinishReason.HandlerNotLoadable, error }),
        ),
        noReply,
        deadline.then((kind): JobWait => ({ kind })),
      ]);
    } finally {
      cancelNoReply();
    }
  }

  private timeOut(job: PlayedJob | undefined, reason: TimeoutReason): Conclusion {
    if (job) this.jobs.timeOut(job, reason);
    return concludeTimedOut(this.settings, reason, job?.jobId);
  }

  private async shutDown(): Promise<void> {
    this.tasks.stop();
    await this.pool.dispose();
    this.clock.dispose();
    this.jobs.closeAll();
  }

  private result(conclusion: Conclusion, pipelineMs: number): LambdaActionResult {
    const executionDetails = this.jobs.lastExecutionDetails;
    return {
      status: conclusion.status,
      reason: conclusion.reason,
      ...(conclusion.failureDetails ? { failureDetails: conclusion.failureDetails } : {}),
      outputVariables: conclusion.outputVariables,
      ...(executionDetails ? { executionDetails } : {}),
      jobs: this.jobs.results(),
      invocations: [...this.recorder.invocations],
      faults: this.faults.report(),
      timeline: [...this.recorder.timeline],
      pipelineMs,
      elapsedMs: this.recorder.elapsedMs(),
    };
  }
}
