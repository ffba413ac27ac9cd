import type { Outcome, Progress, RunRecord } from '../store/run-record.js';

/**
 * Where a run stands while an invocation works on it: read from the claimed
 * run, replaced (never changed in place) by each transition, and written back
 * by the commit. Field meanings are those of `RunRecord`.
 */
export interface Cursor {
  readonly step: string;
  /** Attempt of `step`, from 1. */
  readonly attempt: number;
  /** Visit counter of `step`: part of the idempotency key. */
  readonly visit: number;
  /** Epoch ms before which `step` must not run (a wait or a retry delay). */
  readonly resumeAt?: number;
  readonly progress?: Progress;
  /** Last error a step threw, cleared when the run moves on. */
  readonly lastError?: string;
  /** State as JSON; absent until the first step ran. */
  readonly stateJson?: string;
}

/** The outcomes that end a run. */
export type FinalOutcome = Extract<Outcome, { kind: 'succeed' | 'fail' }>;

/**
 * The cursor of a claimed run.
 *
 * @example
 * ```ts
 * let cursor = cursorOf(claimed.run);
 * ```
 */
export function cursorOf(run: RunRecord): Cursor {
  return {
    step: run.step,
    attempt: run.attempt,
    visit: run.visit,
    ...(run.resumeAt === undefined ? {} : { resumeAt: run.resumeAt }),
    ...(run.progress === undefined ? {} : { progress: run.progress }),
    ...(run.lastError === undefined ? {} : { lastError: run.lastError }),
    ...(run.stateJson === undefined ? {} : { stateJson: run.stateJson }),
  };
}

/**
 * The cursor of a run that ends with `outcome`: it waits for nothing, and a
 * success's last progress is its end.
 *
 * @example
 * ```ts
 * cursor = finished(cursor, outcome);
 * ```
 */
export function finished(cursor: Cursor, outcome: FinalOutcome): Cursor {
  const { resumeAt: _over, ...rest } = cursor;
  if (outcome.kind !== 'succeed') return rest;
  return {
    ...rest,
    progress: {
      percentComplete: 100,
      ...(outcome.summary === undefined ? {} : { summary: outcome.summary }),
    },
  };
}

/**
 * The idempotency key of the cursor's step visit: the same for every retry.
 *
 * @example
 * ```ts
 * idempotencyKey(runId, cursor); // '5f0c…:poll:2'
 * ```
 */
export function idempotencyKey(runId: string, cursor: Cursor): string {
  return `${runId}:${cursor.step}:${cursor.visit}`;
}
