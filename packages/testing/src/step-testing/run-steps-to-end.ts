import type { Job, Transition } from '@baton/core';
import { StepTestEnvironment } from './test-step.js';

/** What {@link runStepsToEnd} went through. */
export interface StepsTrace<S extends object> {
  /** Every transition, in order, with the step that returned it. */
  transitions: Array<{ step: string; transition: Transition<S> }>;
  /** The state after the last transition. */
  state: S;
}

/**
 * Drives a job's steps in memory the way the engine moves between them
 * (without sleeping out waits, retrying or storing anything): from the first
 * step, merging each transition's state, until a step succeeds or fails.
 * Throws after `maxTransitions`.
 *
 * @example
 * ```ts
 * const { transitions, state } = await runStepsToEnd(job, params);
 * expect(transitions.at(-1)?.transition.kind).toBe('succeed');
 * ```
 */
export async function runStepsToEnd<S extends object, P>(
  job: Job<S, P>,
  params: P,
  maxTransitions = 20,
): Promise<StepsTrace<S>> {
  const env = new StepTestEnvironment();
  let step = job.firstStep;
  let state = job.initialState(params);
  const visits = new Map<string, number>();
  const transitions: StepsTrace<S>['transitions'] = [];
  for (let i = 0; i < maxTransitions; i += 1) {
    const visit = visits.get(step) ?? 1;
    const result = await env.run(job, {
      step,
      params,
      state,
      idempotencyKey: `run-test:${step}:${visit}`,
    });
    const { transition } = result;
    transitions.push({ step, transition });
    if (transition.kind === 'succeed' || transition.kind === 'fail') return { transitions, state };
    state = result.state;
    const next = transition.kind === 'goTo' ? transition.step : (transition.step ?? step);
    if (next !== step) visits.set(next, (visits.get(next) ?? 0) + 1);
    step = next;
  }
  throw new Error(`job ${job.name} did not finish within ${maxTransitions} transitions`);
}
