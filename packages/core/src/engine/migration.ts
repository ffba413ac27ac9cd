import type { Job } from '../job/define-job.js';
import type { RunRecord } from '../store/run-record.js';
import { errorText } from './redaction.js';
import { serializeState } from './steps/state.js';

/** What the claimed run becomes under this deployment's version of the job. */
export type Migration =
  /** Written by this version: nothing to do. */
  | { kind: 'current' }
  /** Carried over: go on from `run` (its step and state are this version's). */
  | { kind: 'migrated'; run: RunRecord; from: number }
  /** It cannot be carried over: fail the run with `message`. */
  | { kind: 'failed'; message: string };

/**
 * Carries a run written by another version of the job over to this one,
 * before any step: the job's `migrate` maps the stored step and state. A run
 * without a stored state (no step committed yet) starts at this version's
 * first step. Total: a missing `migrate`, one that throws, returns an unknown
 * step or a state that cannot be stored is a `failed` naming both versions
 * and the step, never a throw.
 *
 * @example
 * ```ts
 * const migration = migrateRun(job, claimed.run, secrets);
 * if (migration.kind === 'failed') return failRun(migration.message);
 * ```
 */
export function migrateRun<S extends object, P>(
  job: Job<S, P>,
  run: RunRecord,
  secrets: readonly string[],
): Migration {
  const from = run.jobVersion ?? 1;
  if (from === job.version) return { kind: 'current' };
  if (run.stateJson === undefined) {
    // Nothing of the other version was committed: this version starts afresh.
    return { kind: 'migrated', run: { ...run, step: job.firstStep }, from };
  }
  const where =
    `job ${job.name}: the run was written by version ${from} of the job at step '${run.step}', ` +
    `and this deployment runs version ${job.version}`;
  const failed = (why: string): Migration => ({ kind: 'failed', message: `${where}; ${why}` });
  if (!job.migrate) return failed('the job declares no migrate() to carry it over');
  let result: unknown;
  try {
    result = job.migrate({ version: from, step: run.step, state: JSON.parse(run.stateJson) });
  } catch (err) {
    return failed(`migrate() threw: ${errorText(err, secrets)}`);
  }
  const step = (result as { step?: unknown } | null | undefined)?.step;
  if (typeof step !== 'string' || !job.stepNames.includes(step)) {
    const shown = typeof step === 'string' ? `'${step.slice(0, 100)}'` : String(step);
    return failed(
      `migrate() returned step ${shown}, which is not one of the steps (${job.stepNames.join(', ')})`,
    );
  }
  let stateJson: string;
  try {
    const state = (result as { state?: unknown }).state;
    stateJson = serializeState(state, job.maxStateBytes, 'the state migrate() returned');
  } catch (err) {
    return failed(errorText(err, secrets));
  }
  return { kind: 'migrated', run: { ...run, step, stateJson }, from };
}
