import type {
  ArtifactCredentials,
  Job,
  JobArtifact,
  LogAttributes,
  Logger,
  StepContext,
  Transition,
} from '@baton/core';

/** One line a step logged. */
export interface CapturedLogLine {
  level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  message: string;
  attributes: LogAttributes | undefined;
}

/**
 * What a step under test is given; everything but `step` and `params` has a
 * default. `K` is the job's step names.
 */
export interface StepTestInput<S extends object, P, K extends string = string> {
  /** The step to run: one of the job's step names. */
  step: K;
  /** Validated parameters (see {@link validateParams}). */
  params: P;
  /** @default the job's initial state for `params` */
  state?: S;
  /** @default 1 */
  attempt?: number;
  /** @default `${runId}:${step}:1` */
  idempotencyKey?: string;
  /** @default 'run-test' */
  runId?: string;
  /** @default 'job-test' */
  jobId?: string;
  /** @default 0 */
  jobSeq?: number;
  /** @default `JSON.stringify(params)` */
  userParameters?: string;
  /** @default [] */
  inputArtifacts?: JobArtifact[];
  /** @default [] */
  outputArtifacts?: JobArtifact[];
  /** @default undefined */
  artifactCredentials?: ArtifactCredentials;
  /** What `remainingTimeMs()` answers. @default 60000 */
  remainingTimeMs?: number;
}

/** What running a step gave. */
export interface StepTestResult<S extends object, K extends string = string> {
  /** The transition the step returned, as it returned it. */
  transition: Transition<S, K>;
  /** Every line the step logged, in order. */
  logs: CapturedLogLine[];
  /** The state the step saw, with the transition's state update merged in. */
  state: S;
}

/**
 * Runs steps of a job the way the engine calls them, without DynamoDB,
 * CodePipeline or Lambda: it builds the step context (params, state,
 * attempt, idempotency key, artifacts, a logger that captures lines, an
 * abortable signal), calls the step and hands back its transition.
 * Abort the signal with {@link StepTestEnvironment.abort} to test how a
 * step reacts when the invocation's time runs out.
 *
 * @example
 * ```ts
 * const env = new StepTestEnvironment();
 * const { transition } = await env.run(job, { step: 'poll', params, state: { polls: 2 } });
 * expect(transition).toMatchObject({ kind: 'wait', seconds: 30 });
 * ```
 */
export class StepTestEnvironment {
  /** Lines logged by every step this environment ran. */
  public readonly logs: CapturedLogLine[] = [];
  readonly #controller = new AbortController();

  /** The signal steps receive; aborted by {@link abort}. */
  public get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Aborts the steps' signal, as the engine does when the time budget runs out. */
  public abort(reason: unknown = new Error('the time budget ran out')): void {
    this.#controller.abort(reason);
  }

  /** The context the engine would give `input.step`. */
  public context<S extends object, P, K extends string>(
    job: Job<S, P, K>,
    input: StepTestInput<S, P, NoInfer<K>>,
  ): StepContext<S, P> {
    const runId = input.runId ?? 'run-test';
    const log =
      (level: CapturedLogLine['level']) =>
      (message: string, attributes?: LogAttributes): void => {
        this.logs.push({ level, message, attributes });
      };
    const logger: Logger = {
      debug: log('DEBUG'),
      info: log('INFO'),
      warn: log('WARN'),
      error: log('ERROR'),
    };
    const remaining = input.remainingTimeMs ?? 60_000;
    return {
      runId,
      jobId: input.jobId ?? 'job-test',
      step: input.step,
      attempt: input.attempt ?? 1,
      jobSeq: input.jobSeq ?? 0,
      state: structuredClone(input.state ?? job.initialState(input.params)),
      params: input.params,
      userParameters: input.userParameters ?? JSON.stringify(input.params),
      inputArtifacts: input.inputArtifacts ?? [],
      outputArtifacts: input.outputArtifacts ?? [],
      artifactCredentials: input.artifactCredentials,
      logger,
      signal: this.signal,
      idempotencyKey: input.idempotencyKey ?? `${runId}:${input.step}:1`,
      remainingTimeMs: () => remaining,
    };
  }

  /**
   * Runs `input.step` of `job` once. A step that throws rejects with its error
   * (the engine would apply the retry policy).
   */
  public async run<S extends object, P, K extends string>(
    job: Job<S, P, K>,
    input: StepTestInput<S, P, NoInfer<K>>,
  ): Promise<StepTestResult<S, K>> {
    const handler = job.handler(input.step);
    if (!handler) {
      throw new Error(
        `job ${job.name} has no step '${input.step}' (steps: ${job.stepNames.join(', ')})`,
      );
    }
    const context = this.context(job, input);
    const first = this.logs.length;
    const transition = await handler(context);
    const update =
      transition.kind === 'goTo' || transition.kind === 'wait' ? transition.state : undefined;
    return {
      transition,
      logs: this.logs.slice(first),
      state: { ...context.state, ...update } as S,
    };
  }
}

/**
 * Runs one step of a job in a fresh {@link StepTestEnvironment}. `step` is
 * one of the job's step names (a typo does not compile).
 *
 * @example
 * ```ts
 * const { transition, logs } = await testStep(job, { step: 'start', params });
 * ```
 */
export function testStep<S extends object, P, K extends string>(
  job: Job<S, P, K>,
  input: StepTestInput<S, P, NoInfer<K>>,
): Promise<StepTestResult<S, K>> {
  return new StepTestEnvironment().run(job, input);
}
