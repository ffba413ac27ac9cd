import {
  type DeploymentService,
  paramIssues,
  runStepsToEnd,
  startDeploymentService,
  testStep,
  validateParams,
} from '@baton/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type DeployAndWaitParams,
  type DeployAndWaitState,
  DeployStartError,
  deployAndWaitJob,
} from '../src/index.js';
import { closedPortUrl, type Reply, startTestServer, type TestServer } from './test-server.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function service(options: Parameters<typeof startDeploymentService>[0] = {}) {
  const started = await startDeploymentService(options);
  stops.push(started.stop);
  return started;
}

async function serve(reply: (index: number) => Reply): Promise<TestServer> {
  const server = await startTestServer((_request, index) => reply(index));
  stops.push(server.stop);
  return server;
}

const params = (raw: Record<string, unknown>) => validateParams(deployAndWaitJob, raw);
const paramsFor = (target: DeploymentService, extra: Record<string, unknown> = {}) =>
  params({
    deployUrl: `${target.url}/deployments`,
    statusUrl: `${target.url}/deployments/{id}`,
    deployBody: { service: 'web', version: '1.4.2' },
    ...extra,
  });
const start = (p: DeployAndWaitParams, idempotencyKey = 'run-1:start:1', attempt = 1) =>
  testStep(deployAndWaitJob, {
    step: 'start',
    params: p,
    state: deployAndWaitJob.initialState(p),
    idempotencyKey,
    attempt,
  });
const poll = (p: DeployAndWaitParams, state: DeployAndWaitState) =>
  testStep(deployAndWaitJob, { step: 'poll', params: p, state });

describe('deploy-and-wait params', () => {
  it('fills the defaults', async () => {
    expect(
      await params({
        deployUrl: 'https://deploy.example.com/deployments',
        statusUrl: 'https://deploy.example.com/deployments/{id}',
      }),
    ).toEqual({
      deployUrl: 'https://deploy.example.com/deployments',
      statusUrl: 'https://deploy.example.com/deployments/{id}',
      deployBody: {},
      idPath: 'id',
      successWhen: { path: 'status', equals: 'SUCCEEDED' },
      failureWhen: { path: 'status', in: ['FAILED', 'ROLLED_BACK'] },
      progressPath: 'progress',
      intervalSeconds: 30,
      timeoutSeconds: 3600,
      requestTimeoutSeconds: 10,
      maxResponseBytes: 4 * 1024 * 1024,
      maxAuthFailures: 3,
      maxNotFound: 10,
    });
  });

  it.each([
    [{ statusUrl: 'http://x.test/{id}' }, 'deployUrl: deployUrl is required'],
    [{ deployUrl: 'http://x.test/d' }, 'statusUrl: statusUrl is required'],
    [
      { deployUrl: 'http://x.test/d', statusUrl: 'http://x.test/d/latest' },
      'statusUrl: statusUrl must contain {id}',
    ],
    [
      { deployUrl: 'http://x.test/d', statusUrl: 'x.test/d/{id}' },
      'statusUrl: statusUrl must be an absolute http:// or https:// URL',
    ],
    [
      { deployUrl: 'http://x.test/d', statusUrl: 'http://x.test/{id}', idPath: '.id' },
      'idPath: idPath must be a dotted path',
    ],
    [
      {
        deployUrl: 'http://x.test/d',
        statusUrl: 'http://x.test/{id}',
        successWhen: { equals: 'OK' },
      },
      'successWhen.path: successWhen.path must be a string',
    ],
  ])('rejects %j naming the field', async (raw, message) => {
    expect((await paramIssues(deployAndWaitJob, raw)).join('; ')).toContain(message);
  });

  it('gives start its own retry policy and leaves poll on the default', () => {
    expect(deployAndWaitJob.retryPolicy('start')).toMatchObject({
      maximumAttempts: 4,
      initialIntervalSeconds: 2,
    });
    expect(deployAndWaitJob.retryPolicy('poll').maximumAttempts).toBe(3);
  });
});

describe('deploy-and-wait start step', () => {
  it('POSTs the body with the idempotency key and goes to poll with the id', async () => {
    const target = await service();
    const p = await paramsFor(target);
    const { transition } = await start(p, 'run-1:start:1');
    const [deployment] = target.deployments();
    expect(transition).toEqual({
      kind: 'goTo',
      step: 'poll',
      state: { deploymentId: deployment?.id },
    });
    expect(deployment?.idempotencyKey).toBe('run-1:start:1');
    expect(deployment?.request).toEqual({ service: 'web', version: '1.4.2' });
  });

  it('gets the same deployment back when a re-run repeats the key', async () => {
    const target = await service();
    const p = await paramsFor(target);
    // A crash after the POST but before the commit: the step runs again with the same key.
    const first = await start(p, 'run-1:start:1', 1);
    const again = await start(p, 'run-1:start:1', 2);
    expect(again.transition).toEqual(first.transition);
    expect(target.deployments()).toHaveLength(1);
    expect(target.starts).toMatchObject({ created: 1, duplicates: 1 });

    // Another run (another key) starts another deployment.
    const other = await start(p, 'run-2:start:1');
    expect(other.transition).not.toEqual(first.transition);
    expect(target.starts).toMatchObject({ created: 2, duplicates: 1 });
  });

  it('does not let a user header replace the idempotency key', async () => {
    const target = await service();
    const p = await paramsFor(target, {
      headers: { 'Idempotency-Key': 'fixed', authorization: 'Bearer abc' },
    });
    await start(p, 'run-7:start:1');
    expect(target.deployments()[0]?.idempotencyKey).toBe('run-7:start:1');
  });

  it('throws a retryable error on a 503, and the retry succeeds with the same key', async () => {
    const target = await service({ unavailableStarts: 1 });
    const p = await paramsFor(target);
    const error = await start(p, 'run-1:start:1', 1).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DeployStartError);
    expect((error as Error).message).toMatch(
      /answered HTTP 503: \{"error":"temporarily unavailable"\}/,
    );
    const retried = await start(p, 'run-1:start:1', 2);
    expect(retried.transition.kind).toBe('goTo');
    expect(target.starts).toMatchObject({ unavailable: 1, created: 1 });
    expect(deployAndWaitJob.retryPolicy('start').nonRetryableErrors).not.toContain(
      'DeployStartError',
    );
  });

  it('throws a retryable error when the service cannot be reached', async () => {
    const url = await closedPortUrl();
    const p = await params({ deployUrl: url, statusUrl: `${url}/{id}` });
    await expect(start(p)).rejects.toThrow(
      /start request to .* failed: network error ECONNREFUSED/,
    );
  });

  it('fails at once when the start request is rejected with a 4xx', async () => {
    const target = await serve(() => ({ status: 400, body: { error: 'unknown service "web"' } }));
    const p = await params({ deployUrl: target.url, statusUrl: `${target.url}/{id}` });
    const { transition } = await start(p);
    expect(transition).toEqual({
      kind: 'fail',
      message: expect.stringMatching(
        /rejected with HTTP 400: \{"error":"unknown service \\"web\\""\}/,
      ),
    });
  });

  it('fails with ConfigurationError when the response has no id at idPath', async () => {
    const target = await serve(() => ({ status: 201, body: { deployment: { ref: 'x' } } }));
    const p = await params({
      deployUrl: target.url,
      statusUrl: `${target.url}/{id}`,
      idPath: 'deployment.id',
    });
    const { transition } = await start(p);
    expect(transition).toEqual({
      kind: 'fail',
      type: 'ConfigurationError',
      message: expect.stringContaining(
        'without a deployment id (string or number) at idPath "deployment.id"',
      ),
    });
  });

  it('reads a nested numeric id', async () => {
    const target = await serve(() => ({ status: 202, body: { deployment: { id: 42 } } }));
    const p = await params({
      deployUrl: target.url,
      statusUrl: `${target.url}/{id}`,
      idPath: 'deployment.id',
    });
    expect((await start(p)).transition).toEqual({
      kind: 'goTo',
      step: 'poll',
      state: { deploymentId: '42' },
    });
  });
});

describe('deploy-and-wait poll step', () => {
  it('URL-encodes the id into statusUrl and sends the headers', async () => {
    const target = await serve(() => ({ status: 200, body: { status: 'SUCCEEDED' } }));
    const p = await params({
      deployUrl: target.url,
      statusUrl: `${target.url}/deployments/{id}/status`,
      headers: { authorization: 'Bearer abc' },
    });
    const state = { ...deployAndWaitJob.initialState(p), deploymentId: 'a/b c?d' };
    const { transition } = await poll(p, state);
    expect(target.requests[0]?.path).toBe('/deployments/a%2Fb%20c%3Fd/status');
    expect(target.requests[0]?.method).toBe('GET');
    expect(target.requests[0]?.headers.authorization).toBe('Bearer abc');
    expect(transition).toMatchObject({
      kind: 'succeed',
      outputVariables: { deploymentId: 'a/b c?d', httpStatus: '200', matchedValue: '"SUCCEEDED"' },
    });
  });

  it('reports the service progress while the deployment runs', async () => {
    const target = await service({ stepsToSucceed: 4 });
    const p = await paramsFor(target, { intervalSeconds: 10 });
    const started = await start(p);
    if (started.transition.kind !== 'goTo') throw new Error('expected goTo');
    const state = { ...deployAndWaitJob.initialState(p), ...started.transition.state };
    const { transition } = await poll(p, state);
    expect(transition).toMatchObject({
      kind: 'wait',
      seconds: 10,
      percentComplete: 25,
      summary: 'poll 1: HTTP 200, status="IN_PROGRESS"',
    });
  });

  it('fails on a 404 for an unknown deployment only through the timeout, naming it', async () => {
    const target = await service();
    const p = await paramsFor(target, { timeoutSeconds: 5 });
    const state = {
      ...deployAndWaitJob.initialState(p),
      deploymentId: 'nope',
      startedAt: Date.now() - 6000,
    };
    const { transition } = await poll(p, state);
    expect(transition).toEqual({
      kind: 'fail',
      message: expect.stringContaining(
        'deployment nope: timed out after 5s waiting for status = "SUCCEEDED" (1 poll, 0 failed); last seen: HTTP 404, status missing',
      ),
    });
  });
});

describe('deploy-and-wait from start to end', () => {
  it('starts, polls until SUCCEEDED and outputs the deployment id', async () => {
    const target = await service({ stepsToSucceed: 3 });
    const p = await paramsFor(target, { intervalSeconds: 1 });
    const { transitions, state } = await runStepsToEnd(deployAndWaitJob, p);
    const deploymentId = target.deployments()[0]?.id;
    expect(transitions.map(({ step, transition }) => `${step}:${transition.kind}`)).toEqual([
      'start:goTo',
      'poll:wait',
      'poll:wait',
      'poll:succeed',
    ]);
    expect(
      transitions.map(({ transition }) =>
        'percentComplete' in transition ? transition.percentComplete : undefined,
      ),
    ).toEqual([undefined, 33, 66, undefined]);
    expect(transitions.at(-1)?.transition).toEqual({
      kind: 'succeed',
      outputVariables: {
        httpStatus: '200',
        matchedValue: '"SUCCEEDED"',
        polls: '3',
        deploymentId,
      },
      summary: expect.stringMatching(
        new RegExp(`^deployment ${deploymentId}: HTTP 200, status="SUCCEEDED" after 3 polls`),
      ),
    });
    expect(state).toMatchObject({ deploymentId, polls: 2, errors: 0 });
    expect(target.deployments()).toHaveLength(1);
    expect(target.deployments()[0]?.idempotencyKey).toBe('run-test:start:1');
  });

  it('fails with what it saw when the deployment is rolled back', async () => {
    const target = await service({ stepsToSucceed: 2, outcome: 'ROLLED_BACK' });
    const p = await paramsFor(target, { intervalSeconds: 1 });
    const { transitions } = await runStepsToEnd(deployAndWaitJob, p);
    const deploymentId = target.deployments()[0]?.id;
    expect(transitions.at(-1)?.transition).toEqual({
      kind: 'fail',
      message: `deployment ${deploymentId}: failureWhen matched (status in ["FAILED","ROLLED_BACK"]) at poll 2: HTTP 200, status="ROLLED_BACK"`,
    });
  });
});
