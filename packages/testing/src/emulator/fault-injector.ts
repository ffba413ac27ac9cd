import type { ActionRecorder, RecordedJob } from './action-recorder.js';
import { REPORT_OPERATIONS } from './codepipeline-shapes.js';
import type { FaultPlan } from './fault-plan.js';
import {
  type CutOffFault,
  CutOffPoint,
  type DuplicateDeliveryFault,
  DuplicateMode,
  type Fault,
  type FaultReport,
  type FaultStrike,
} from './faults.js';
import type { BeforeApplyDirective, JobRequest, JobRequestOutcome } from './job-request-hooks.js';
import type { LambdaContainer } from './lambda-container.js';
import type { PipelineClock } from './pipeline-clock.js';
import type { InvocationRef } from './timeline.js';

/** An invocation, as fault injection sees it. */
export interface TargetInvocation {
  job: RecordedJob;
  ref: InvocationRef;
  container: LambdaContainer;
}

/** What fault injection does to a request that was applied. */
export interface AppliedRequestFault {
  /** Whether the caller never gets the answer. */
  answerLost: boolean;
  /** Carries the fault out (records it, kills containers); call after recording the request. */
  strike(): Promise<void>;
}

/**
 * Every point where the emulator injects a fault into a played action. The
 * Lambda side calls it around deliveries and invocations, the CodePipeline
 * side around API requests; it decides, records each fault on the timeline
 * and carries it out.
 */
export interface FaultInjector {
  /** At a job's first delivery: whether Lambda delivers its event twice, and how. */
  duplicateFor(job: RecordedJob): DuplicateMode | undefined;
  /** The duplicate {@link duplicateFor} announced is being delivered now. */
  duplicateDelivered(job: RecordedJob, mode: DuplicateMode): void;
  /** An invocation was given a container (before its handler starts). */
  invocationStarted(invocation: TargetInvocation): void;
  /** The invocation's handler starts (after a cold start's module loading). */
  handlerStarted(invocation: TargetInvocation): void;
  /** The invocation ended, however it ended. */
  invocationEnded(invocation: TargetInvocation): void;
  /** Before a request about a job is applied: refuse it, drop it, or let it through. */
  beforeRequest(job: RecordedJob, request: JobRequest): Promise<BeforeApplyDirective | undefined>;
  /** After a request about a job was applied. */
  afterRequest(
    job: RecordedJob,
    request: JobRequest,
    outcome: JobRequestOutcome,
  ): AppliedRequestFault;
}

/** A running invocation, with the cut-off that may strike it. */
interface Armed {
  target: TargetInvocation;
  cutOff: CutOffFault | undefined;
  fired: boolean;
  cancelTimer?: () => void;
}

const DUPLICATE_DETAIL = {
  [DuplicateMode.Concurrent]: 'the event is delivered twice at once',
  [DuplicateMode.Sequential]: 'the event is delivered again after the first invocation ended',
} as const;

/**
 * Injects the faults of a {@link FaultPlan}: duplicate deliveries, cut-offs
 * (real container kills) and request faults (refusals, lost answers).
 *
 * @example
 * ```ts
 * const faults = new PlannedFaults(new FaultPlan([{ kind: 'throttle' }], 1), recorder, clock);
 * const directive = await faults.beforeRequest(job, request); // { action: 'fail', error: ThrottlingException }
 * ```
 */
export class PlannedFaults implements FaultInjector {
  /** Running invocations per job id. */
  private readonly running = new Map<string, Set<Armed>>();
  private readonly armed = new Map<TargetInvocation, Armed>();
  /** The duplicate decided for each job, by job id. */
  private readonly duplicates = new Map<string, DuplicateDeliveryFault>();
  /** Where and when each fault struck, by the fault's index. */
  private readonly strikes = new Map<number, FaultStrike[]>();

  private readonly plan: FaultPlan;
  private readonly recorder: ActionRecorder;
  private readonly clock: PipelineClock;

  public constructor(plan: FaultPlan, recorder: ActionRecorder, clock: PipelineClock) {
    this.plan = plan;
    this.recorder = recorder;
    this.clock = clock;
  }

  public duplicateFor(job: RecordedJob): DuplicateMode | undefined {
    const duplicate = this.plan.duplicateFor(job.sequence);
    if (duplicate) this.duplicates.set(job.jobId, duplicate);
    return duplicate?.mode;
  }

  public duplicateDelivered(job: RecordedJob, mode: DuplicateMode): void {
    const duplicate = this.duplicates.get(job.jobId);
    if (!duplicate) return;
    // The duplicate is the job's delivery 2, and it starts with attempt 1.
    this.strike(duplicate, job, DUPLICATE_DETAIL[mode], `j${job.sequence}-d2-a1`);
  }

  public report(): FaultReport[] {
    return this.plan.all.map((fault, index) => {
      const strikes = this.strikes.get(index) ?? [];
      return { fault, index, fired: strikes.length > 0, strikes };
    });
  }

  public invocationStarted(target: TargetInvocation): void {
    const { sequence, delivery, attempt } = target.ref;
    const armed: Armed = {
      target,
      cutOff: this.plan.cutOffFor(sequence, delivery, attempt),
      fired: false,
    };
    this.armed.set(target, armed);
    const ofJob = this.running.get(target.job.jobId) ?? new Set();
    ofJob.add(armed);
    this.running.set(target.job.jobId, ofJob);
  }

  public handlerStarted(target: TargetInvocation): void {
    const armed = this.armed.get(target);
    const at = armed?.cutOff?.at;
    if (!armed || typeof at !== 'object') return;
    // Pipeline time: real while the handler works, and a wait it skips counts.
    armed.cancelTimer = this.clock.setTimer(
      at.afterMs,
      () => void this.cutOff(armed, `killed ${at.afterMs} ms into the invocation`),
    );
  }

  public invocationEnded(target: TargetInvocation): void {
    const armed = this.armed.get(target);
    if (!armed) return;
    armed.cancelTimer?.();
    this.armed.delete(target);
    this.running.get(target.job.jobId)?.delete(armed);
  }

  public async beforeRequest(
    job: RecordedJob,
    request: JobRequest,
  ): Promise<BeforeApplyDirective | undefined> {
    const isReport = REPORT_OPERATIONS.includes(request.operation);
    const victims = isReport ? this.victims(job.jobId, CutOffPoint.ReportReceived) : [];
    if (victims.length > 0) {
      await Promise.all(
        victims.map((victim) =>
          this.cutOff(victim, 'killed when its report arrived; the report is dropped'),
        ),
      );
      return { action: 'drop' };
    }
    const refusal = this.plan.refusalFor(job.sequence, job.jobId, request.operation);
    if (!refusal) return undefined;
    this.strike(
      refusal.fault,
      job,
      `${request.operation} answered ${refusal.error.statusCode} ${refusal.error.errorName}`,
    );
    return { action: 'fail', error: refusal.error };
  }

  public afterRequest(
    job: RecordedJob,
    request: JobRequest,
    outcome: JobRequestOutcome,
  ): AppliedRequestFault {
    const isReport = REPORT_OPERATIONS.includes(request.operation);
    const victims =
      isReport && outcome.ok ? this.victims(job.jobId, CutOffPoint.ReportApplied) : [];
    const lost =
      victims.length === 0
        ? this.plan.responseLostFor(job.sequence, job.jobId, request.operation)
        : undefined;
    return {
      answerLost: victims.length > 0 || lost !== undefined,
      strike: async () => {
        if (lost) {
          this.strike(lost, job, `${request.operation} applied, its answer is lost`);
        }
        await Promise.all(
          victims.map((victim) =>
            this.cutOff(victim, 'killed after its report was applied, before the answer'),
          ),
        );
      },
    };
  }

  /** Puts a fault that struck on the timeline and in its report. */
  private strike(fault: Fault, job: RecordedJob, detail: string, invocationId?: string): void {
    const event = this.recorder.fault(job, fault.kind, detail, invocationId);
    const index = this.plan.all.indexOf(fault);
    const strikes = this.strikes.get(index) ?? [];
    strikes.push({
      jobId: job.jobId,
      sequence: job.sequence,
      ...(invocationId === undefined ? {} : { invocationId }),
      detail,
      pipelineMs: event.pipelineMs,
      elapsedMs: event.elapsedMs,
    });
    this.strikes.set(index, strikes);
  }

  /** Running invocations of the job whose cut-off strikes at `point` and has not yet. */
  private victims(jobId: string, point: CutOffPoint): Armed[] {
    return [...(this.running.get(jobId) ?? [])].filter(
      (armed) => armed.cutOff?.at === point && !armed.fired,
    );
  }

  private async cutOff(armed: Armed, detail: string): Promise<void> {
    if (armed.fired) return;
    armed.fired = true;
    const { job, ref, container } = armed.target;
    if (armed.cutOff) this.strike(armed.cutOff, job, detail, ref.invocationId);
    await container.kill(`cut off by fault: ${detail}`);
  }
}
