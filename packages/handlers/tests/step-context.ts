import type { Job, LogAttributes, Logger, StepContext, Transition } from '@baton/core';

/** One captured log line. */
export interface LogLine {
  level: string;
  message: string;
  attributes: LogAttributes | undefined;
}

/** Parts of a hand-built step context a test sets. */
export interface StepContextInput<S extends object, P> {
  step: string;
  params: P;
  state: S;
  attempt?: number;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/**
 * A StepContext as the engine would build it, with a logger that captures
 * lines in `logs`.
 */
export function stepContext<S extends object, P>(
  input: StepContextInput<S, P>,
): StepContext<S, P> & { logs: LogLine[] } {
  const logs: LogLine[] = [];
  const log =
    (level: string) =>
    (message: string, attributes?: LogAttributes): void => {
      logs.push({ level, message, attributes });
    };
  const logger: Logger = {
    debug: log('DEBUG'),
    info: log('INFO'),
    warn: log('WARN'),
    error: log('ERROR'),
  };
  return {
    runId: 'run-test',
    jobId: 'job-test',
    step: input.step,
    attempt: input.attempt ?? 1,
    jobSeq: 0,
    state: structuredClone(input.state),
    params: input.params,
    userParameters: JSON.stringify(input.params),
    inputArtifacts: [],
    outputArtifacts: [],
    artifactCredentials: undefined,
    logger,
    signal: input.signal ?? new AbortController().signal,
    idempotencyKey: input.idempotencyKey ?? `run-test:${input.step}:1`,
    remainingTimeMs: () => 60_000,
    logs,
  };
}

/** Validates raw UserParameters with the job's schema, as the engine does. */
export async function validParams<S extends object, P>(job: Job<S, P>, raw: unknown): Promise<P> {
  const schema = job.params;
  if (!schema) throw new Error(`job ${job.name} has no params schema`);
  const result = await schema['~standard'].validate(raw);
  if (result.issues) {
    throw new Error(`invalid params: ${result.issues.map((i) => i.message).join('; ')}`);
  }
  return result.value;
}

/** The issues a job's schema reports for raw UserParameters, as `path: message`. */
export async function paramIssues<S extends object, P>(
  job: Job<S, P>,
  raw: unknown,
): Promise<string[]> {
  const schema = job.params;
  if (!schema) throw new Error(`job ${job.name} has no params schema`);
  const result = await schema['~standard'].validate(raw);
  return (result.issues ?? []).map((issue) => {
    const path = (issue.path ?? [])
      .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
      .join('.');
    return `${path}: ${issue.message}`;
  });
}

/** Calls a step handler of a job with a hand-built context. */
export async function runStep<S extends object, P>(
  job: Job<S, P>,
  input: StepContextInput<S, P>,
): Promise<{ transition: Transition<S>; logs: LogLine[] }> {
  const handler = job.handler(input.step);
  if (!handler) throw new Error(`job ${job.name} has no step ${input.step}`);
  const context = stepContext(input);
  const transition = await handler(context);
  return { transition, logs: context.logs };
}

/** What {@link runToEnd} went through. */
export interface RunTrace<S extends object> {
  /** Every transition, in order, with the step that returned it. */
  transitions: Array<{ step: string; transition: Transition<S> }>;
  /** The state after the last transition. */
  state: S;
}

/**
 * Drives a job in memory the way the engine does (without sleeping out waits):
 * from the first step, merging each transition's state, until it succeeds or
 * fails. Stops with an error after `maxTransitions`.
 */
export async function runToEnd<S extends object, P>(
  job: Job<S, P>,
  params: P,
  maxTransitions = 20,
): Promise<RunTrace<S>> {
  let step = job.firstStep;
  let state = job.initialState(params);
  const visits = new Map<string, number>();
  const transitions: RunTrace<S>['transitions'] = [];
  for (let i = 0; i < maxTransitions; i += 1) {
    const visit = visits.get(step) ?? 1;
    const { transition } = await runStep(job, {
      step,
      params,
      state,
      idempotencyKey: `run-test:${step}:${visit}`,
    });
    transitions.push({ step, transition });
    if (transition.kind === 'succeed' || transition.kind === 'fail') return { transitions, state };
    state = { ...state, ...transition.state };
    const next = transition.kind === 'goTo' ? transition.step : (transition.step ?? step);
    if (next !== step) visits.set(next, (visits.get(next) ?? 0) + 1);
    step = next;
  }
  throw new Error(`job ${job.name} did not finish within ${maxTransitions} transitions`);
}
