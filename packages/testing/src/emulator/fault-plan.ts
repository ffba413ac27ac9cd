import {
  CodePipelineApiError,
  CodePipelineErrorName,
  EmulatorConfigurationError,
} from './codepipeline-errors.js';
import { type CodePipelineOperation, REPORT_OPERATIONS } from './codepipeline-shapes.js';
import {
  type CutOffFault,
  type DuplicateDeliveryFault,
  type Fault,
  FaultKind,
  type InvocationSelector,
  type JobSelector,
  type ResponseLostFault,
  type ServerErrorFault,
  type ThrottleFault,
} from './faults.js';

type RequestFault = ResponseLostFault | ThrottleFault | ServerErrorFault;

/** A refusal a request fault answers with. */
export interface InjectedRefusal {
  fault: ThrottleFault | ServerErrorFault;
  error: CodePipelineApiError;
}

/**
 * Decides, deterministically, which fault hits what in one action. Selection
 * depends only on the fault list, the seed and the job/delivery/attempt
 * numbers (never on timing), so a run is reproducible.
 *
 * @example
 * ```ts
 * const plan = new FaultPlan([{ kind: 'throttle', times: 2 }], 42);
 * plan.refusalFor(1, jobId, 'PutJobSuccessResult'); // ThrottlingException, then once more, then undefined
 * ```
 */
export class FaultPlan {
  /** Requests each request fault has seen, per job: `${faultIndex}:${jobId}`. */
  private readonly seen = new Map<string, number>();

  private readonly faults: readonly Fault[];
  private readonly seed: number;

  public constructor(faults: readonly Fault[], seed: number) {
    for (const [index, fault] of faults.entries()) validate(fault, index);
    this.faults = faults;
    this.seed = seed;
  }

  /** The faults, as given. */
  public get all(): readonly Fault[] {
    return this.faults;
  }

  /** Whether any fault needs to kill a container. */
  public get needsIsolation(): boolean {
    return this.faults.some((fault) => fault.kind === FaultKind.CutOff);
  }

  /** The duplicate delivery, if any, for the first delivery of job `sequence`. */
  public duplicateFor(sequence: number): DuplicateDeliveryFault | undefined {
    return this.find(FaultKind.DuplicateDelivery, (fault, index) =>
      this.hits(fault.when, index, [sequence], { sequence }),
    );
  }

  /** The cut-off, if any, for one invocation. */
  public cutOffFor(sequence: number, delivery: number, attempt: number): CutOffFault | undefined {
    return this.find(FaultKind.CutOff, (fault, index) =>
      this.hits(fault.when, index, [sequence, delivery, attempt], { sequence, delivery, attempt }),
    );
  }

  /**
   * A throttling or server error to answer instead of applying a request, if a
   * fault still has tries left for the job. Counts the request.
   */
  public refusalFor(
    sequence: number,
    jobId: string,
    operation: CodePipelineOperation,
  ): InjectedRefusal | undefined {
    for (const [index, fault] of this.faults.entries()) {
      if (fault.kind !== FaultKind.Throttle && fault.kind !== FaultKind.ServerError) continue;
      if (!this.counts(fault, index, sequence, jobId, operation)) continue;
      return { fault, error: refusal(fault) };
    }
    return undefined;
  }

  /** The fault, if any, that loses the answer of an applied request. Counts the request. */
  public responseLostFor(
    sequence: number,
    jobId: string,
    operation: CodePipelineOperation,
  ): ResponseLostFault | undefined {
    for (const [index, fault] of this.faults.entries()) {
      if (fault.kind !== FaultKind.ResponseLost) continue;
      if (this.counts(fault, index, sequence, jobId, operation)) return fault;
    }
    return undefined;
  }

  private counts(
    fault: RequestFault,
    index: number,
    sequence: number,
    jobId: string,
    operation: CodePipelineOperation,
  ): boolean {
    if (!(fault.operations ?? REPORT_OPERATIONS).includes(operation)) return false;
    if (!this.hits(fault.when, index, [sequence], { sequence })) return false;
    const key = `${index}:${jobId}`;
    const seen = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, seen);
    return seen <= (fault.times ?? 1);
  }

  private find<K extends Fault['kind']>(
    kind: K,
    test: (fault: Extract<Fault, { kind: K }>, index: number) => boolean,
  ): Extract<Fault, { kind: K }> | undefined {
    for (const [index, fault] of this.faults.entries()) {
      if (fault.kind === kind && test(fault as Extract<Fault, { kind: K }>, index)) {
        return fault as Extract<Fault, { kind: K }>;
      }
    }
    return undefined;
  }

  private hits(
    when: InvocationSelector | undefined,
    index: number,
    drawKey: readonly number[],
    at: { sequence: number; delivery?: number; attempt?: number },
  ): boolean {
    if (!when) return true;
    if (!includes(when.sequence, at.sequence)) return false;
    if (at.delivery !== undefined && !includes(when.delivery, at.delivery)) return false;
    if (at.attempt !== undefined && !includes(when.attempt, at.attempt)) return false;
    const probability = when.probability ?? 1;
    return probability >= 1 || seededDraw(this.seed, index, ...drawKey) < probability;
  }
}

function includes(selected: number | readonly number[] | undefined, value: number): boolean {
  if (selected === undefined) return true;
  return typeof selected === 'number' ? selected === value : selected.includes(value);
}

function refusal(fault: ThrottleFault | ServerErrorFault): CodePipelineApiError {
  if (fault.kind === FaultKind.Throttle) {
    return new CodePipelineApiError(CodePipelineErrorName.Throttling, 'Rate exceeded');
  }
  return fault.statusCode === 503
    ? new CodePipelineApiError(CodePipelineErrorName.ServiceUnavailable, 'Service unavailable', {
        statusCode: 503,
      })
    : new CodePipelineApiError(CodePipelineErrorName.InternalServerError, 'Internal server error', {
        statusCode: 500,
      });
}

/**
 * A number in [0, 1) fixed by the seed and the key (FNV-1a, then a
 * mulberry32 round to spread the bits).
 *
 * @example
 * ```ts
 * seededDraw(42, 0, 3) === seededDraw(42, 0, 3); // true: same seed and key, same draw
 * ```
 */
export function seededDraw(seed: number, ...key: number[]): number {
  let hash = 0x811c9dc5;
  for (const part of [seed, ...key]) {
    for (const char of String(part)) {
      hash ^= char.charCodeAt(0);
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= 0x7c; // separator, so [1, 23] and [12, 3] differ
    hash = Math.imul(hash, 0x01000193);
  }
  let t = (hash + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function validate(fault: Fault, index: number): void {
  const where = `faults[${index}] (${fault.kind})`;
  const fail = (message: string) => {
    throw new EmulatorConfigurationError(`${where}: ${message}`);
  };
  if (!(Object.values(FaultKind) as string[]).includes(fault.kind)) fail('unknown fault kind');
  const probability = fault.when?.probability;
  if (probability !== undefined && !(probability >= 0 && probability <= 1)) {
    fail('when.probability must be between 0 and 1');
  }
  if ('times' in fault && fault.times !== undefined) {
    if (!Number.isInteger(fault.times) || fault.times < 1) fail('times must be a positive integer');
  }
  if (fault.kind === FaultKind.CutOff && typeof fault.at === 'object') {
    if (!(fault.at.afterMs >= 0)) fail('at.afterMs must be a non-negative number of milliseconds');
  }
  checkSelector(fault.when, fail);
}

function checkSelector(when: JobSelector | undefined, fail: (message: string) => void): void {
  const sequence = when?.sequence;
  const all = sequence === undefined ? [] : typeof sequence === 'number' ? [sequence] : sequence;
  if (all.some((value) => !Number.isInteger(value) || value < 1)) {
    fail('when.sequence counts from 1');
  }
}
