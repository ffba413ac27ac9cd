/**
 * The ready-made `deploy-and-wait` Lambda entry of `@baton/handlers`, loaded
 * by its package name as a Lambda runtime would load the module, with its
 * default options, against the demo deployment service: the worker is killed
 * while its start request is in flight, and an event is delivered twice. The
 * service still sees exactly one deployment created.
 */
import { fileURLToPath } from 'node:url';
import { startCodePipelineEmulator, startDeploymentService } from '@baton/testing';
import { expect, it, onTestFinished } from 'vitest';
import { acceptedReports, createTestbed, eventsOf, runIdOf } from '../support/baton-action.js';

const integrationDir = fileURLToPath(new URL('..', import.meta.url));

it('deploy-and-wait survives a crash mid-start and a duplicate, and deploys once', async () => {
  const service = await startDeploymentService({
    stepsToSucceed: 3,
    // The first start request is answered only when its caller is gone: the kill
    // below always finds it in flight, after the service created the deployment.
    holdFirstStartMs: 60_000,
  });
  onTestFinished(() => service.stop());
  const testbed = await createTestbed('deploy-and-wait');
  // The entry keeps its default options, so Lambda's retry of the killed attempt
  // claims the run only once that attempt's lease has expired with its deadline
  // (or is 50 s old). Timings that fit, all of them lower bounds:
  // - function timeout 3 s: the killed attempt's lease ends 3 s after it started;
  // - the kill comes 1.5 s in, while the start request is held; at a time scale of
  //   1/25, Lambda's retry comes a pipeline minute (2.4 s) later, after the lease ended;
  // - Baton keeps 0.75 s of the 3 s for commit and report, and starts no step with
  //   less than 1 s left, so a 1.3 s wait between status polls never fits in an
  //   invocation: each poll gets a job of its own, 35 pipeline seconds (1.4 s) later.
  const emulator = await startCodePipelineEmulator({ timeScale: 1 / 25 });
  onTestFinished(() => emulator.stop());

  const result = await emulator.runLambdaAction({
    handler: '@baton/handlers/deploy-and-wait#handler',
    cwd: integrationDir,
    functionName: 'deploy-and-wait',
    functionTimeoutMs: 3000,
    continuationDelayMs: 35_000,
    // The arithmetic above is in real time: the handler keeps the host's clock.
    handlerClock: 'real',
    environment: testbed.environment,
    userParameters: {
      deployUrl: `${service.url}/deployments`,
      deployBody: { service: 'web', version: '2.0.0' },
      statusUrl: `${service.url}/deployments/{id}`,
      intervalSeconds: 1.3,
      timeoutSeconds: 600,
    },
    faults: [
      { kind: 'cut-off', at: { afterMs: 1500 }, when: { sequence: 1, attempt: 1 } },
      { kind: 'duplicate-delivery', mode: 'sequential', when: { sequence: 2 } },
    ],
  });

  expect(result.status).toBe('Succeeded');
  const [deployment] = service.deployments();
  expect(result.outputVariables).toEqual({
    deploymentId: deployment?.id,
    httpStatus: '200',
    matchedValue: '"SUCCEEDED"',
    polls: '3',
  });
  // One deployment: the retried start sent the same Idempotency-Key and got it back.
  expect(service.deployments()).toHaveLength(1);
  expect(service.starts).toEqual({ created: 1, duplicates: 1, unavailable: 0 });
  const runId = runIdOf(result);
  expect(deployment?.idempotencyKey).toBe(`${runId}:start:1`);
  expect(deployment?.statusReads).toBe(3);

  expect(eventsOf(result, 'fault-injected').map((e) => e.fault)).toEqual([
    'cut-off',
    'duplicate-delivery',
  ]);
  expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`).sort()).toEqual([
    'j1-d1-a1 crashed',
    'j1-d1-a2 returned',
    'j2-d1-a1 returned',
    'j2-d2-a1 returned',
    'j3-d1-a1 returned',
  ]);
  expect(acceptedReports(result).map((r) => r.sequence)).toEqual([1, 2, 3]);
  const stored = await testbed.store.getRun(runId);
  expect(stored?.run).toMatchObject({ jobName: 'deploy-and-wait', status: 'succeeded' });
  expect(stored?.history.map((h) => h.entries.map((e) => `${e.step} ${e.outcome}`))).toEqual([
    ['start goTo', 'poll wait'],
    ['poll wait'],
    ['poll succeed'],
  ]);
});
