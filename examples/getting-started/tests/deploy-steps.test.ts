import { type DeploymentService, startDeploymentService, testStep } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { job } from '../src/deploy-job.js';

// A deployment API on loopback that ends each deployment after 2 status reads.
let api: DeploymentService;

beforeAll(async () => {
  api = await startDeploymentService({ stepsToSucceed: 2 });
});

afterAll(async () => {
  await api.stop();
});

describe('the deploy job, one step at a time', () => {
  it('start: starts one deployment, however often the step runs', async () => {
    const params = { apiUrl: api.url, version: '1.4.2', intervalSeconds: 30 };
    const first = await testStep(job, { step: 'start', params, idempotencyKey: 'run-1:start:1' });
    // The same visit of the step again, as after a crash: same key, same deployment.
    const again = await testStep(job, { step: 'start', params, idempotencyKey: 'run-1:start:1' });

    expect(first.transition).toMatchObject({ kind: 'goTo', step: 'poll' });
    expect(again.state.deploymentId).toBe(first.state.deploymentId);
    expect(api.starts).toMatchObject({ created: 1, duplicates: 1 });
  });

  it('poll: waits with progress while the deployment runs, then succeeds', async () => {
    const params = { apiUrl: api.url, version: '1.4.3', intervalSeconds: 30 };
    const { state } = await testStep(job, { step: 'start', params });

    const running = await testStep(job, { step: 'poll', params, state });
    expect(running.transition).toMatchObject({ kind: 'wait', seconds: 30, percentComplete: 50 });
    expect(running.state.checks).toBe(1);

    const done = await testStep(job, { step: 'poll', params, state: running.state });
    expect(done.transition).toEqual({
      kind: 'succeed',
      outputVariables: { deploymentId: state.deploymentId },
      summary: 'version 1.4.3 deployed',
    });
  });
});
