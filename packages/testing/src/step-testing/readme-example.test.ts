import { defineJob, goTo, succeed, wait } from '@baton/core';
import { StepTestEnvironment, testStep } from '@baton/testing';
import { describe, expect, it } from 'vitest';

// The job under test: its steps call a deployment service.
const deployments = new Map<string, string>();
const job = defineJob({
  name: 'deploy',
  initialState: { deploymentId: '', polls: 0 },
  firstStep: 'start',
  steps: {
    start: ({ idempotencyKey, logger }) => {
      logger.info('starting deployment', { idempotencyKey });
      deployments.set(idempotencyKey, 'IN_PROGRESS');
      return goTo('poll', { deploymentId: idempotencyKey });
    },
    poll: async ({ state, signal }) => {
      signal.throwIfAborted();
      const status = deployments.get(state.deploymentId);
      if (status === 'SUCCEEDED') return succeed({ outputVariables: { id: state.deploymentId } });
      return wait({
        seconds: 30,
        summary: `deployment is ${status}`,
        state: { polls: state.polls + 1 },
      });
    },
  },
});

describe('the deploy job', () => {
  it('starts one deployment per visit and moves on to polling', async () => {
    const { transition, state, logs } = await testStep(job, {
      step: 'start',
      params: undefined,
      idempotencyKey: 'run-1:start:1',
    });
    expect(transition).toEqual(goTo('poll', { deploymentId: 'run-1:start:1' }));
    expect(state.deploymentId).toBe('run-1:start:1');
    expect(logs).toMatchObject([{ level: 'INFO', message: 'starting deployment' }]);
  });

  it('waits while the deployment runs, and succeeds once it is done', async () => {
    deployments.set('d-1', 'IN_PROGRESS');
    const polling = await testStep(job, {
      step: 'poll',
      params: undefined,
      state: { deploymentId: 'd-1', polls: 0 },
    });
    expect(polling.transition).toMatchObject({ kind: 'wait', seconds: 30 });
    expect(polling.state.polls).toBe(1);

    deployments.set('d-1', 'SUCCEEDED');
    const done = await testStep(job, { step: 'poll', params: undefined, state: polling.state });
    expect(done.transition).toEqual(succeed({ outputVariables: { id: 'd-1' } }));
  });

  it('gives up when the invocation runs out of time', async () => {
    const env = new StepTestEnvironment();
    env.abort(new Error('out of time'));
    await expect(
      env.run(job, { step: 'poll', params: undefined, state: { deploymentId: 'd-1', polls: 0 } }),
    ).rejects.toThrow('out of time');
  });
});
