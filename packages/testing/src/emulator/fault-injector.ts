import type { ActionRecorder, RecordedJob } from './action-recorder.js';
import { REPORT_OPERATIONS } from './codepipeline-shapes.js';
import type { FaultPlan } from './fault-plan.js';
import { type CutOffFault, CutOffPoint, DuplicateMode, FaultKind } from './faults.js';
import type { BeforeApplyDirective, JobRequest, JobRequestOutcome } from './job-request-hooks.js';
import type { LambdaContainer } from './lambda-container.js';
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
  timer?: ReturnType<typeof setTimeout>;
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
 * const faults = new PlannedFaults(new FaultPlan([{ kind: 'throttle' }], 1), recorder);
 * const directive = await faults.beforeRequest(job, request); // { action: 'fail', error: ThrottlingException }
 * ```
 */
export class PlannedFaults implements FaultInjector {
  /** Running invocations per job id. */
  private readonly running = new Map<string, Set<Armed>>();
  private readonly armed = new Map<TargetInvocation, Armed>();

  private readonly plan: FaultPlan;
  private readonly recorder: ActionRecorder;

  public constructor(plan: FaultPlan, recorder: ActionRecorder) {
    this.plan = plan;
    this.recorder = recorder;
  }

  public duplicateFor(job: RecordedJob): DuplicateMode | undefined {
    return this.plan.duplicateFor(job.sequence)?.mode;
  }

  public duplicateDelivered(job: RecordedJob, mode: DuplicateMode): void {
    this.recorder.fault(job, FaultKind.DuplicateDelivery, DUPLICATE_DETAIL[mode]);
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
    armed.timer = setTimeout(
      () => void this.cutOff(armed, `killed ${at.afterMs} ms into the invocation`),
      at.afterMs,
    );
  }

  public invocationEnded(target: TargetInvocation): void {
    const armed = this.armed.get(target);
    if (!armed) return;
    clearTimeout(armed.timer);
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
    this.recorder.fault(
      job,
      refusal.fault.kind,
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
          this.recorder.fault(
            job,
            FaultKind.ResponseLost,
            `${request.operation} applied, its answer is lost`,
          );
        }
        await Promise.all(
          victims.map((victim) =>
            this.cutOff(victim, 'killed after its report was applied, before the answer'),
          ),
        );
      },
    };
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
    this.recorder.fault(job, FaultKind.CutOff, detail, ref.invocationId);
    await container.kill(`cut off by fault: ${detail}`);
  }
}
