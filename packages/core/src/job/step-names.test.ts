/**
 * Step names are typed: `firstStep`, `goTo` and `wait({ step })` accept only
 * the names of the job's steps. The `@ts-expect-error` lines below are the
 * test: `pnpm typecheck` fails if any of them compiles without an error (the
 * directive is then unused), and the `expectTypeOf` checks fail it if the
 * inferred types change. TypeScript reports a step that returns a transition
 * to an unknown step on the step's own line (its name in `steps`), so that is
 * where each directive sits. The `it` blocks also run, with the unit tests.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineJob, type Job, type StepContext, type StepHandler } from './define-job.js';
import { fail, goTo, succeed, type Transition, wait } from './transitions.js';

type State = { deploymentId: string; polls: number };

const job = defineJob({
  name: 'deploy',
  initialState: { deploymentId: '', polls: 0 },
  firstStep: 'start',
  steps: {
    start: async ({ idempotencyKey }) => goTo('poll', { deploymentId: idempotencyKey }),
    poll: {
      run: ({ state }) =>
        state.polls < 2
          ? wait({ seconds: 30, state: { polls: state.polls + 1 } })
          : succeed({ outputVariables: { deploymentId: state.deploymentId } }),
      retry: { maximumAttempts: 5 },
    },
    rollBack: () => fail({ message: 'rolled back' }),
  },
});

/** Calls a step of `job` with only the context fields these steps read. */
async function runStep<K extends string>(
  handler: StepHandler<State, unknown, K> | undefined,
  state: State,
): Promise<Transition<State, K>> {
  if (handler === undefined) throw new Error('no such step');
  const context = { state, idempotencyKey: 'run-1:start:1' } as StepContext<State, unknown>;
  return handler(context);
}

describe('step names inferred from defineJob({ steps })', () => {
  it('types the job with its step names, and still runs the steps', async () => {
    expectTypeOf(job).toEqualTypeOf<Job<State, unknown, 'start' | 'poll' | 'rollBack'>>();
    expectTypeOf(job.firstStep).toEqualTypeOf<'start' | 'poll' | 'rollBack'>();
    expectTypeOf(job.stepNames).toEqualTypeOf<readonly ('start' | 'poll' | 'rollBack')[]>();
    // A job with typed names is a job: the Lambda adapter and test tools take it.
    expectTypeOf(job).toExtend<Job<State, unknown>>();

    expect(job.stepNames).toEqual(['start', 'poll', 'rollBack']);
    const started = await runStep(job.handler('start'), { deploymentId: '', polls: 0 });
    expect(started).toEqual({
      kind: 'goTo',
      step: 'poll',
      state: { deploymentId: 'run-1:start:1' },
    });
    expectTypeOf(started).toEqualTypeOf<Transition<State, 'start' | 'poll' | 'rollBack'>>();
  });

  it('rejects a goTo to a step the job does not have', () => {
    const typo = defineJob({
      name: 'typo',
      initialState: { deploymentId: '' },
      firstStep: 'start',
      steps: {
        // @ts-expect-error 'pol' is not one of 'start' | 'poll'
        start: async () => goTo('pol', { deploymentId: 'd-1' }),
        poll: () => succeed(),
      },
    });
    // JavaScript (or a cast) still gets the engine's run-time check when the step runs.
    expect(typo.stepNames).toEqual(['start', 'poll']);
  });

  it('rejects a typo in a step that returns from several branches', () => {
    defineJob({
      name: 'branches',
      initialState: { ready: false },
      firstStep: 'check',
      steps: {
        // @ts-expect-error 'chek' is not one of 'check' | 'done'
        check: ({ state }) => {
          if (state.ready) return goTo('done');
          return goTo('chek');
        },
        done: () => succeed(),
      },
    });
  });

  it('rejects an unknown step after a wait', () => {
    defineJob({
      name: 'wait-step',
      initialState: {},
      firstStep: 'poll',
      steps: {
        poll: () => wait({ seconds: 10, step: 'finish' }),
        // @ts-expect-error 'finnish' is not one of 'poll' | 'finish'
        finish: () => wait({ seconds: 10, step: 'finnish' }),
      },
    });
  });

  it('rejects a firstStep that is not a step', () => {
    expect(() =>
      defineJob({
        name: 'first',
        initialState: {},
        // @ts-expect-error 'strat' is not one of 'start'
        firstStep: 'strat',
        steps: { start: () => succeed() },
      }),
    ).toThrow("firstStep 'strat' is not one of the steps (start)");
  });

  it('does not let a transition built elsewhere widen the names', () => {
    const anywhere: Transition<State> = goTo('anywhere');
    defineJob({
      name: 'widen',
      initialState: { deploymentId: '', polls: 0 },
      firstStep: 'start',
      steps: {
        // @ts-expect-error a Transition with any step name is not a transition of this job
        start: () => anywhere,
      },
    });
  });
});

describe('steps written apart from defineJob', () => {
  type Steps = 'start' | 'poll';

  it('name the steps in StepHandler and are checked the same way', () => {
    const start: StepHandler<State, unknown, Steps> = async ({ idempotencyKey }) =>
      goTo('poll', { deploymentId: idempotencyKey });
    // @ts-expect-error 'pool' is not one of 'start' | 'poll'
    const typo: StepHandler<State, unknown, Steps> = () => wait({ seconds: 5, step: 'pool' });
    const poll: StepHandler<State, unknown, Steps> = ({ state }) =>
      state.polls > 3 ? succeed() : wait({ seconds: 5, state: { polls: state.polls + 1 } });
    const apart = defineJob({
      name: 'apart',
      initialState: { deploymentId: '', polls: 0 },
      firstStep: 'start',
      steps: { start, poll },
    });
    expectTypeOf(apart).toEqualTypeOf<Job<State, unknown, Steps>>();
    expect(typo).toBeTypeOf('function');
  });

  it('with explicit type arguments, the third names the steps', () => {
    const explicit = defineJob<State, unknown, Steps>({
      name: 'explicit',
      initialState: { deploymentId: '', polls: 0 },
      firstStep: 'start',
      steps: {
        // @ts-expect-error 'pol' is not one of 'start' | 'poll'
        start: () => goTo('pol'),
        poll: () => succeed(),
      },
    });
    expectTypeOf(explicit.firstStep).toEqualTypeOf<Steps>();
  });

  it("types migrate's returned step as the new version's step names", () => {
    const migrated = defineJob({
      name: 'migrated',
      version: 2,
      initialState: { deploymentId: '', polls: 0 },
      firstStep: 'start',
      migrate: ({ step, state }) => ({
        step: step === 'wait' ? 'poll' : 'start',
        state: { deploymentId: String((state as { id?: unknown }).id), polls: 0 },
      }),
      steps: { start: () => goTo('poll'), poll: () => succeed() },
    });
    expectTypeOf(migrated.firstStep).toEqualTypeOf<Steps>();
    expectTypeOf(migrated.stepNames).toEqualTypeOf<readonly Steps[]>();
    defineJob({
      name: 'migrated-typo',
      version: 2,
      initialState: { deploymentId: '', polls: 0 },
      firstStep: 'start',
      // @ts-expect-error 'wait' is a step of the old version, not one of 'start' | 'poll'
      migrate: () => ({ step: 'wait', state: { deploymentId: '', polls: 0 } }),
      steps: { start: () => goTo('poll'), poll: () => succeed() },
    });
    expect(migrated.version).toBe(2);
  });
});
