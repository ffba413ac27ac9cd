import type { ActionRecorder } from './action-recorder.js';
import type { ActionSettings } from './action-settings.js';
import type { BackgroundTasks } from './background-tasks.js';
import type { SerializedError } from './container-messages.js';
import type { ContainerPool } from './container-pool.js';
import type { FaultInjector, TargetInvocation } from './fault-injector.js';
import { DuplicateMode } from './faults.js';
import { PipelineInvocationTime } from './invocation-time.js';
import { type InvocationOutcome, InvocationOutcomeKind } from './lambda-container.js';
import type { PipelineClock } from './pipeline-clock.js';
import type { PlayedJob } from './pipeline-jobs.js';
import { type InvocationRef, TimelineEventType } from './timeline.js';

/** What the Lambda side of an action works with. */
export interface LambdaRuntimeParts {
  settings: ActionSettings;
  /** The region in the handler's context. */
  region: string;
  pool: ContainerPool;
  clock: PipelineClock;
  recorder: ActionRecorder;
  faults: FaultInjector;
  tasks: BackgroundTasks;
  /** The handler module cannot load: nothing Lambda's retries could change. */
  onNotLoadable(error: SerializedError): void;
}

/** Init failures that depend on the moment, not on the code: retried as Lambda does. */
const TRANSIENT_INIT_ERRORS = new Set(['Runtime.InitTimeout', 'Runtime.ExitError']);

/**
 * The Lambda side of a played action: delivers a job's event asynchronously,
 * as Lambda does (a first attempt, a retry after each error, timeout or crash,
 * duplicates when a fault asks), and runs each invocation in a container of
 * the pool.
 *
 * @example
 * ```ts
 * const runtime = new LambdaRuntime({ settings, region, pool, clock, recorder, faults, tasks });
 * tasks.track(runtime.deliver(job, 1, settings.deliveryDelayMs));
 * ```
 */
export class LambdaRuntime {
  /** The invocation each container runs, or ran last. */
  private readonly lastInvocationIn = new Map<string, string>();
  private readonly parts: LambdaRuntimeParts;

  public constructor(parts: LambdaRuntimeParts) {
    this.parts = parts;
  }

  /** The invocation a container runs or ran last, to name its output after. */
  public invocationIn(containerId: string): string | undefined {
    return this.lastInvocationIn.get(containerId);
  }

  /** One delivery of a job's event, after `delayMs`: the first invocation and Lambda's retries. */
  public async deliver(job: PlayedJob, delivery: number, delayMs: number): Promise<void> {
    const { clock, tasks, faults, recorder, settings } = this.parts;
    const signal = tasks.signal;
    if (delayMs > 0) await clock.sleep(delayMs, signal);
    const duplicate = delivery === 1 ? faults.duplicateFor(job) : undefined;
    if (duplicate === DuplicateMode.Concurrent) {
      faults.duplicateDelivered(job, duplicate);
      tasks.track(this.deliver(job, 2, 0));
    }
    const retryDelays = settings.retryDelaysMs;
    for (let attempt = 1; attempt <= retryDelays.length + 1; attempt += 1) {
      if (attempt > 1) {
        const delay = retryDelays[attempt - 2] ?? 0;
        recorder.record({
          type: TimelineEventType.RetryScheduled,
          jobId: job.jobId,
          sequence: job.sequence,
          delivery,
          attempt,
          delayMs: delay,
        });
        await clock.sleep(delay, signal);
      }
      if (signal.aborted) return;
      const outcome = await this.invoke(job, delivery, attempt);
      if (attempt === 1 && duplicate === DuplicateMode.Sequential && !signal.aborted) {
        faults.duplicateDelivered(job, duplicate);
        tasks.track(this.deliver(job, 2, 0));
      }
      if (outcome.kind === InvocationOutcomeKind.Returned) return;
      if (
        outcome.kind === InvocationOutcomeKind.Errored &&
        outcome.phase === 'init' &&
        !TRANSIENT_INIT_ERRORS.has(outcome.error.name)
      ) {
        this.parts.onNotLoadable(outcome.error);
        return;
      }
    }
    recorder.record({
      type: TimelineEventType.RetriesExhausted,
      jobId: job.jobId,
      sequence: job.sequence,
      delivery,
    });
  }

  private async invoke(
    job: PlayedJob,
    delivery: number,
    attempt: number,
  ): Promise<InvocationOutcome> {
    const { pool, clock, recorder, faults, settings } = this.parts;
    const ref: InvocationRef = {
      jobId: job.jobId,
      sequence: job.sequence,
      invocationId: `j${job.sequence}-d${delivery}-a${attempt}`,
      delivery,
      attempt,
    };
    const container = pool.acquire();
    const started = {
      awsRequestId: job.awsRequestId,
      containerId: container.id,
      coldStart: container.invocationCount === 0,
    };
    const target: TargetInvocation = {
      job: { jobId: job.jobId, sequence: job.sequence },
      ref,
      container,
    };
    faults.invocationStarted(target);
    this.lastInvocationIn.set(container.id, ref.invocationId);
    const time = new PipelineInvocationTime(clock);
    recorder.record({ type: TimelineEventType.InvocationStarted, ...ref, ...started });
    let outcome: InvocationOutcome;
    try {
      outcome = await container.invoke({
        invocationId: ref.invocationId,
        event: job.event,
        context: {
          functionName: settings.functionName,
          awsRequestId: job.awsRequestId,
          region: this.parts.region,
          accountId: settings.accountId,
          memoryLimitInMB: settings.memoryLimitInMB,
        },
        timeoutMs: settings.functionTimeoutMs,
        // Without it the container keeps the real clock (and real-time waits).
        ...(settings.handlerClock === 'pipeline' ? { time } : {}),
        onHandlerStart: () => faults.handlerStarted(target),
      });
      // Stamped before the clock speeds up again.
      recorder.invocationEnded(ref, started, outcome);
    } finally {
      faults.invocationEnded(target);
      time.end();
      pool.release(container);
    }
    return outcome;
  }
}
