import { JobDefinitionError } from '../errors.js';
import { checkNumber } from './option-checks.js';

/** What `migrate` receives: a run as an older (or newer) version of the job left it. */
export interface MigrationInput {
  /** The version of the job that wrote the run (1 for runs written before versions were set). */
  readonly version: number;
  /** The step the run stands at, a step name of that version. */
  readonly step: string;
  /** The stored state, in that version's shape (parsed JSON). */
  readonly state: unknown;
}

/** What `migrate` returns: where the run goes on under this version. */
export interface MigrationResult<S extends object, K extends string = string> {
  /** One of this version's steps. */
  step: K;
  /** The state in this version's shape. */
  state: S;
}

/**
 * Carries a run written by another version of the job over to this one. It
 * runs after the claim, before any step, once per run and version change;
 * it must be quick and deterministic (no I/O): a throw fails the run.
 *
 * @example
 * ```ts
 * const migrate: Migrate<{ deploymentId: string }, 'start' | 'watch'> = ({ step, state }) => ({
 *   step: step === 'poll' ? 'watch' : 'start',
 *   state: { deploymentId: (state as { id: string }).id },
 * });
 * ```
 */
export type Migrate<S extends object, K extends string = string> = (
  stored: MigrationInput,
) => MigrationResult<S, K>;

/** Largest `version`: any positive integer JSON and DynamoDB hold exactly. */
export const MAX_JOB_VERSION = Number.MAX_SAFE_INTEGER;

/**
 * Checks `version` and `migrate` at definition, naming the option.
 *
 * @example
 * ```ts
 * checkVersion('deploy', 2, ({ step, state }) => ({ step, state })); // 2
 * ```
 */
export function checkVersion(jobName: string, version: unknown, migrate: unknown): number {
  const checked = checkNumber(`job ${jobName}: version`, version ?? 1, {
    min: 1,
    max: MAX_JOB_VERSION,
    integer: true,
    why: 'each run stores the version that wrote it',
  });
  if (migrate !== undefined && typeof migrate !== 'function') {
    throw new JobDefinitionError(
      `job ${jobName}: migrate must be a function ({ version, step, state }) => { step, state }, got ${migrate === null ? 'null' : typeof migrate}`,
    );
  }
  return checked;
}
