import type { StandardSchemaV1 } from '@standard-schema/spec';
import { JobDefinitionError } from '../errors.js';
import type { JobArtifact } from '../event/job-event.js';
import type { Logger } from '../logging/logger.js';
import { asError } from '../thrown-value.js';
import { checkVersion, type Migrate } from './job-version.js';
import { checkNumber } from './option-checks.js';
import { type ResolvedRetryPolicy, type RetryPolicy, resolveRetryPolicy } from './retry-policy.js';
import type { Transition } from './transitions.js';

/** What a step receives. */
export interface StepContext<S extends object, P> {
  /** The run this invocation belongs to (stable across continuations). */
  readonly runId: string;
  /** The CodePipeline job id of this invocation (changes with every continuation). */
  readonly jobId: string;
  /** The step being run. */
  readonly step: string;
  /** 1 on the first try of this step, 2 on its first retry, … */
  readonly attempt: number;
  /** Place of this invocation's job in the run: 0 for the first job, 1 for the first continuation, … */
  readonly jobSeq: number;
  /** The run's state as of this step (a copy: return changes in the transition). */
  readonly state: Readonly<S>;
  /** Validated `UserParameters` (see `JobDefinition.params`). */
  readonly params: P;
  /** `UserParameters` exactly as CodePipeline sent it. */
  readonly userParameters: string | undefined;
  /** Input artifacts of the action. */
  readonly inputArtifacts: readonly JobArtifact[];
  /** Output artifacts of the action. */
  readonly outputArtifacts: readonly JobArtifact[];
  /**
   * Temporary credentials for the artifact bucket. In memory only: Baton never
   * logs or stores them.
   */
  readonly artifactCredentials: ArtifactCredentials | undefined;
  /** Logger with run id, job id, step and `jobSeq` attached; secrets redacted. */
  readonly logger: Logger;
  /** Aborted when the invocation's time budget (minus the safety margin) runs out. */
  readonly signal: AbortSignal;
  /**
   * Stable key for calls to outside systems: the same for every try of this
   * step visit (`<runId>:<step>:<visit>`), so a re-run start does not start twice.
   */
  readonly idempotencyKey: string;
  /** Milliseconds left before the step should have returned. */
  remainingTimeMs(): number;
}

/** Artifact credentials as CodePipeline sends them. */
export interface ArtifactCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expirationTime?: number;
}

/**
 * A step handler: does some work, returns where to go next. `K` is the job's
 * step names; a step written apart from its `defineJob` call names them to
 * return `goTo` or `wait` transitions to another step.
 *
 * @example
 * ```ts
 * type Steps = 'start' | 'poll';
 * const start: StepHandler<{ deploymentId: string }, unknown, Steps> = async ({ idempotencyKey }) =>
 *   goTo('poll', { deploymentId: await startDeployment(idempotencyKey) });
 * ```
 */
export type StepHandler<S extends object, P, K extends string = string> = (
  context: StepContext<S, P>,
) => Transition<S, K> | Promise<Transition<S, K>>;

/** A step with options. */
export interface StepDefinition<S extends object, P, K extends string = string> {
  /** The handler. */
  run: StepHandler<S, P, K>;
  /** Overrides the job's retry policy for this step. */
  retry?: RetryPolicy;
}

/** How `UserParameters` are read before validation. */
export const ParamsFormat = {
  /** Parsed as JSON (an empty or missing string is `undefined`). */
  Json: 'json',
  /** Passed on as the raw string (`undefined` when missing). */
  Text: 'text',
} as const;
export type ParamsFormat = (typeof ParamsFormat)[keyof typeof ParamsFormat];

/**
 * A job: a state machine of named steps. `K` is the step names, inferred from
 * the keys of `steps` by {@link defineJob}.
 */
export interface JobDefinition<S extends object, P, K extends string = string> {
  /** Name used in logs and stored with each run. */
  name: string;
  /**
   * Standard Schema (zod, valibot, arktype, …) for `UserParameters`. A value
   * that does not validate is reported as `ConfigurationError` naming the field.
   * @default no validation; steps get the parsed value as `unknown`
   */
  params?: StandardSchemaV1<unknown, P>;
  /**
   * How `UserParameters` is read.
   * @default 'json'
   */
  paramsFormat?: ParamsFormat;
  /** The state a new run starts with (may depend on the params). */
  initialState: S | ((params: P) => S);
  /** Name of the first step: one of the keys of `steps`. */
  firstStep: NoInfer<K>;
  /**
   * The steps, by name. Their names are the only ones `firstStep`, `goTo`
   * and `wait({ step })` accept.
   */
  steps: Record<K, StepHandler<S, P, NoInfer<K>> | StepDefinition<S, P, NoInfer<K>>>;
  /**
   * Retry policy of every step that sets none.
   * @default {@link DEFAULT_RETRY_POLICY}
   */
  retry?: RetryPolicy;
  /**
   * The whole action fails with `JobFailed` when it runs longer than this.
   * At most {@link MAX_DEADLINE_SECONDS} (23.5 hours): CodePipeline stops a
   * Lambda action at 24, and Baton keeps the rest to report the failure.
   * @default 82800 (23 hours)
   */
  deadlineSeconds?: number;
  /**
   * Largest state, as UTF-8 JSON, Baton will store. A step that returns a
   * bigger state fails the job with a clear message. At most
   * {@link MAX_STATE_BYTES_LIMIT}, so the state and the largest outcome
   * (122,880 bytes of output variables) fit in one 400 KB DynamoDB item.
   * @default 262144 (256 KiB)
   */
  maxStateBytes?: number;
  /**
   * Waits up to this long are slept inside the invocation when its budget
   * allows; longer ones hand over through a continuation. 0 to 900 (an
   * invocation lasts at most 15 minutes).
   * @default 30
   */
  maxInlineWaitSeconds?: number;
  /**
   * Invocations in a row that may claim a job without committing (each one
   * crashed: out of memory, `process.exit`, a blocking loop past the function
   * timeout) before the run fails: the claim that reaches this number fails
   * the run, naming the step, instead of running it again. A job handed on
   * without running a step (a late retry) carries its count into the next
   * job. 2 to 100.
   * @default 3 (two crashes; Lambda's last retry then fails the job instead of dying)
   */
  crashLimit?: number;
  /**
   * Version of this definition, a positive integer stored with every run it
   * writes. Raise it when a deployment renames or removes a step or changes
   * the state's shape, and declare `migrate`: runs in flight between
   * invocations were written by the older version.
   * @default 1
   */
  version?: number;
  /**
   * Carries a run written by another version over to this one: receives the
   * stored version, step and state; returns one of this version's steps and
   * the state in this version's shape. Without it, or when it throws or
   * returns an unknown step, such a run fails with `JobFailed` naming both
   * versions and the step. A run with no state stored yet (no step has
   * committed) starts at this version's `firstStep` without it.
   * @default none: runs of other versions fail
   */
  migrate?: Migrate<S, NoInfer<K>>;
}

/**
 * A checked job definition, ready for `createLambdaHandler` or
 * `runInvocation`. `K` is its step names; a `Job<S, P, 'start' | 'poll'>` is
 * also a `Job<S, P>`.
 */
export interface Job<
  S extends object = Record<string, unknown>,
  P = unknown,
  K extends string = string,
> {
  readonly name: string;
  readonly firstStep: K;
  readonly params: StandardSchemaV1<unknown, P> | undefined;
  readonly paramsFormat: ParamsFormat;
  readonly deadlineSeconds: number;
  readonly maxStateBytes: number;
  readonly maxInlineWaitSeconds: number;
  readonly crashLimit: number;
  /** Version of the definition (see `JobDefinition.version`). */
  readonly version: number;
  /** Carries runs of other versions over (see `JobDefinition.migrate`). */
  readonly migrate: Migrate<S, K> | undefined;
  /** Step names. */
  readonly stepNames: readonly K[];
  /** The handler of a step (`undefined` for an unknown name). */
  handler(step: string): StepHandler<S, P, K> | undefined;
  /** The resolved retry policy of a step. */
  retryPolicy(step: string): ResolvedRetryPolicy;
  /** The state a new run starts with. */
  initialState(params: P): S;
}

/** Default of `deadlineSeconds`: 23 hours. */
export const DEFAULT_DEADLINE_SECONDS = 23 * 60 * 60;
/** Default of `maxStateBytes`: 256 KiB. */
export const DEFAULT_MAX_STATE_BYTES = 256 * 1024;
/**
 * Hard limit of `maxStateBytes`: leaves room in the 400 KB item for the
 * largest outcome (122,880 bytes of output variables, summaries, messages) and
 * Baton's own fields.
 */
export const MAX_STATE_BYTES_LIMIT = 256 * 1024;
/**
 * Largest `deadlineSeconds`: 23.5 hours. CodePipeline fails a Lambda action
 * after 24; the half hour left covers the last invocation (up to 15 minutes),
 * Lambda's retry delays and the report.
 */
export const MAX_DEADLINE_SECONDS = 23.5 * 60 * 60;
/** Largest `maxInlineWaitSeconds`: a Lambda invocation lasts at most 15 minutes. */
export const MAX_INLINE_WAIT_SECONDS = 15 * 60;

/**
 * Checks a job definition and returns the job.
 *
 * The step names are inferred from the keys of `steps`: `firstStep`, and the
 * `goTo(step)` and `wait({ step })` a step returns, accept only those names,
 * so a typo is a compile error (and still a `JobDefinitionError` at load time
 * in JavaScript). When you pass type arguments, pass the names too:
 * `defineJob<State, Params, 'start' | 'poll'>(…)` (with only two, any name
 * compiles).
 *
 * @example
 * ```ts
 * import { defineJob, goTo, wait, succeed } from '@baton/core';
 *
 * export const job = defineJob({
 *   name: 'hello',
 *   initialState: { polls: 0 },
 *   firstStep: 'poll',
 *   steps: {
 *     poll: ({ state }) =>
 *       state.polls < 3
 *         ? wait({ seconds: 10, state: { polls: state.polls + 1 }, summary: `poll ${state.polls}` })
 *         : succeed({ summary: 'done' }),
 *   },
 * });
 * ```
 */
export function defineJob<S extends object, P = unknown, K extends string = string>(
  definition: JobDefinition<S, P, K>,
): Job<S, P, K> {
  const { name, firstStep, steps } = definition;
  if (typeof name !== 'string' || name.length === 0) {
    throw new JobDefinitionError('job name must be a non-empty string');
  }
  const stepNames = Object.keys(steps ?? {}) as K[];
  if (stepNames.length === 0) throw new JobDefinitionError(`job ${name}: no steps defined`);
  if (!stepNames.includes(firstStep)) {
    throw new JobDefinitionError(
      `job ${name}: firstStep '${firstStep}' is not one of the steps (${stepNames.join(', ')})`,
    );
  }
  const jobRetry = resolveRetryPolicy(definition.retry, `job ${name}: retry`);
  const handlers = new Map<string, StepHandler<S, P, K>>();
  const policies = new Map<string, ResolvedRetryPolicy>();
  for (const stepName of stepNames) {
    const entry = steps[stepName];
    const handler = typeof entry === 'function' ? entry : entry?.run;
    if (typeof handler !== 'function') {
      throw new JobDefinitionError(`job ${name}: step '${stepName}' has no handler function`);
    }
    handlers.set(stepName, handler as StepHandler<S, P, K>);
    const stepRetry = typeof entry === 'function' ? undefined : entry?.retry;
    policies.set(
      stepName,
      stepRetry
        ? resolveRetryPolicy(
            { ...definition.retry, ...stepRetry },
            `job ${name}: step ${stepName}: retry`,
          )
        : jobRetry,
    );
  }
  const deadlineSeconds = checkNumber(
    `job ${name}: deadlineSeconds`,
    definition.deadlineSeconds ?? DEFAULT_DEADLINE_SECONDS,
    {
      min: 1,
      max: MAX_DEADLINE_SECONDS,
      why: 'CodePipeline fails a Lambda action after 24 hours; Baton keeps half an hour to report',
    },
  );
  const maxStateBytes = checkNumber(
    `job ${name}: maxStateBytes`,
    definition.maxStateBytes ?? DEFAULT_MAX_STATE_BYTES,
    {
      min: 1,
      max: MAX_STATE_BYTES_LIMIT,
      integer: true,
      why: 'the state and the largest outcome must fit in one 400 KB DynamoDB item',
    },
  );
  const maxInlineWaitSeconds = checkNumber(
    `job ${name}: maxInlineWaitSeconds`,
    definition.maxInlineWaitSeconds ?? 30,
    { min: 0, max: MAX_INLINE_WAIT_SECONDS, why: 'an invocation lasts at most 15 minutes' },
  );
  const crashLimit = checkNumber(`job ${name}: crashLimit`, definition.crashLimit ?? 3, {
    min: 2,
    max: 100,
    integer: true,
  });
  const version = checkVersion(name, definition.version, definition.migrate);
  const initial = definition.initialState;
  return {
    name,
    firstStep,
    params: definition.params,
    paramsFormat: definition.paramsFormat ?? 'json',
    deadlineSeconds,
    maxStateBytes,
    maxInlineWaitSeconds,
    crashLimit,
    version,
    migrate: definition.migrate,
    stepNames,
    handler: (step) => handlers.get(step),
    retryPolicy: (step) => policies.get(step) ?? jobRetry,
    initialState: (params) => {
      try {
        return typeof initial === 'function'
          ? (initial as (p: P) => S)(params)
          : structuredClone(initial);
      } catch (err) {
        // `throw undefined` in user code still gives the engine an Error to report.
        throw asError(err);
      }
    },
  };
}
