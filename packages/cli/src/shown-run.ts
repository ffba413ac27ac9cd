import type { Outcome, ProjectedRun, RunFieldPath, RunRecord } from '@baton/core';

/** The fields of a run every `baton runs` display needs. */
type NeededField =
  | 'runId'
  | 'jobName'
  | 'status'
  | 'step'
  | 'nextJobSeq'
  | 'attempt'
  | 'createdAt'
  | 'updatedAt'
  | 'deadlineAt'
  | 'expiresAt';

/** A run's last outcome as far as it was read (`runs list` reads its kind and job only). */
export type ShownOutcome = { kind: Outcome['kind'] } & Partial<{
  jobId: string;
  jobSeq: number;
  continuationToken: string;
  percentComplete: number;
  summary: string;
  outputVariables: Record<string, string>;
  failureType: string;
  message: string;
}>;

/**
 * A run as `baton runs` displays it: a whole {@link RunRecord} (`runs show`
 * reads it all), or the fields `runs list` reads ({@link LISTED_RUN_FIELDS}).
 */
export type ShownRun = Pick<RunRecord, NeededField> &
  Partial<
    Pick<
      RunRecord,
      | 'firstJobId'
      | 'leaseOwner'
      | 'leaseUntil'
      | 'leaseRequestId'
      | 'resumeAt'
      | 'lastError'
      | 'progress'
      | 'historyCount'
      | 'abandonedAt'
      | 'abandonReason'
      | 'abandonDetail'
    >
  > & { outcome?: ShownOutcome };

/**
 * What `baton runs list` reads of each run: what its table, notes, stuck
 * advice and `--json` show, and nothing else (no state, no nonce, no
 * continuation token, no output variables, no history).
 */
export const LISTED_RUN_FIELDS = [
  'jobName',
  'status',
  'step',
  'nextJobSeq',
  'attempt',
  'createdAt',
  'updatedAt',
  'deadlineAt',
  'expiresAt',
  'leaseOwner',
  'leaseUntil',
  'leaseRequestId',
  'resumeAt',
  'lastError',
  'progress',
  'outcome.kind',
  'outcome.jobSeq',
  'abandonedAt',
  'abandonReason',
  'abandonDetail',
] as const satisfies readonly RunFieldPath[];

const NEEDED: Record<NeededField, 'string' | 'number'> = {
  runId: 'string',
  jobName: 'string',
  status: 'string',
  step: 'string',
  nextJobSeq: 'number',
  attempt: 'number',
  createdAt: 'number',
  updatedAt: 'number',
  deadlineAt: 'number',
  expiresAt: 'number',
};

/**
 * A run read with {@link LISTED_RUN_FIELDS}, checked to have what every
 * display needs.
 *
 * @returns `undefined` for an item that is not a whole run (one written by
 *   something other than Baton)
 * @example
 * ```ts
 * const run = asShownRun(item);
 * if (run) views.push(toRunView(run, now));
 * ```
 */
export function asShownRun(item: ProjectedRun): ShownRun | undefined {
  const fields = item as Record<string, unknown>;
  for (const [name, type] of Object.entries(NEEDED)) {
    if (typeof fields[name] !== type) return undefined;
  }
  const outcome = item.outcome;
  if (outcome !== undefined && typeof outcome.kind !== 'string') return undefined;
  return item as unknown as ShownRun;
}
