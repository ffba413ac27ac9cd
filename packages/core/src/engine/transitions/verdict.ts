import type { FailureType } from '../../job/transitions.js';
import type { Cursor, FinalOutcome } from '../cursor.js';
import type { HistoryNote } from '../history.js';

/** What a step's result leads to: the next cursor, or the run's end. */
export type Verdict =
  | { kind: 'next'; cursor: Cursor; note?: HistoryNote }
  | { kind: 'final'; outcome: FinalOutcome; cursor: Cursor; note?: HistoryNote };

/** The facts of the job a transition is checked against. */
export interface JobFacts {
  readonly name: string;
  readonly stepNames: readonly string[];
  readonly maxStateBytes: number;
  /** For messages about the deadline. */
  readonly deadlineSeconds?: number;
  handler(step: string): unknown;
}

/** Everything a transition module needs to judge a step's result. */
export interface TransitionInput {
  job: JobFacts;
  /** The cursor the step ran at. */
  cursor: Cursor;
  /** The state the step saw. */
  state: object;
  jobId: string;
  /** `jobSeq` of this invocation's job. */
  jobSeq: number;
  /** Epoch ms when the step returned. */
  now: number;
  /** Epoch ms after which the run fails (`RunRecord.deadlineAt`). */
  deadlineAt: number;
}

/**
 * A `fail` outcome for this invocation's job, its message cut to CodePipeline's limit.
 *
 * @example
 * ```ts
 * failureOutcome(input, "step 'poll' failed");
 * ```
 */
export function failureOutcome(
  job: { jobId: string; jobSeq: number },
  message: string,
  failureType: FailureType = 'JobFailed',
): Extract<FinalOutcome, { kind: 'fail' }> {
  return {
    kind: 'fail',
    jobId: job.jobId,
    jobSeq: job.jobSeq,
    failureType,
    // Cut to CodePipeline's limit at the commit, after secrets are redacted.
    message: message || failureType,
  };
}

/** A verdict that ends the run with a failure, the cursor unchanged. */
export function failRun(
  input: TransitionInput,
  message: string,
  note?: HistoryNote,
  failureType?: FailureType,
): Verdict {
  return {
    kind: 'final',
    outcome: failureOutcome(input, message, failureType),
    cursor: input.cursor,
    ...(note ? { note } : {}),
  };
}

/** The verdict on a transition whose fields are wrong (steps may be plain JS). */
export function malformed(input: TransitionInput, kind: string, problem: string): Verdict {
  return failRun(input, `step '${input.cursor.step}' returned ${kind}() ${problem}`, {
    outcome: 'fail',
    detail: problem,
  });
}

/** What is wrong with a transition's `summary`, if anything. */
export function summaryProblem(summary: unknown): string | undefined {
  return summary !== undefined && typeof summary !== 'string'
    ? `with a summary of type ${typeof summary}; expected a string`
    : undefined;
}

/** What is wrong with a transition's target `step`, if anything. */
export function stepNameProblem(step: unknown): string | undefined {
  return typeof step !== 'string'
    ? `with a step of type ${typeof step}; expected a step name`
    : undefined;
}

/** The summary fitted to CodePipeline's limit, as an optional field. */
export function optionalSummary(summary: string | undefined): { summary?: string } {
  // Cut to CodePipeline's limit at the commit, after secrets are redacted.
  return summary === undefined || summary.length === 0 ? {} : { summary };
}
