// Hostile endpoints, part 2: where requests go and what statuses say. Each
// case runs loopback servers of its own; "the other origin" is a second
// server on another port, which records everything it receives.

import type { ServerResponse } from 'node:http';
import { paramIssues, runStepsToEnd, testStep, validateParams } from '@baton/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type DeployAndWaitParams,
  deployAndWaitJob,
  fetchJson,
  HttpRequestError,
  redirectRefusal,
  waitForHttpJob,
} from '../src/index.js';
import { type HostileServer, startHostileServer } from './hostile-server.js';

const servers: HostileServer[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function hostile(answer: Parameters<typeof startHostileServer>[0]): Promise<HostileServer> {
  const server = await startHostileServer(answer);
  servers.push(server);
  return server;
}

const json = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const redirect = (res: ServerResponse, status: number, location: string) => {
  res.writeHead(status, { location });
  res.end();
};

const SECRETS = { 'x-api-key': 'k-secret', authorization: 'Bearer t-secret', cookie: 's=c-secret' };

const waitParams = (raw: Record<string, unknown>) => validateParams(waitForHttpJob, raw);
const pollOnce = async (raw: Record<string, unknown>) => {
  const p = await waitParams(raw);
  const state = waitForHttpJob.initialState(p);
  return (await testStep(waitForHttpJob, { step: 'poll', params: p, state })).transition;
};
const deployParams = (server: HostileServer, extra: Record<string, unknown> = {}) =>
  validateParams(deployAndWaitJob, {
    deployUrl: `${server.url}/deployments`,
    statusUrl: `${server.url}/deployments/{id}`,
    ...extra,
  });
const start = (p: DeployAndWaitParams) =>
  testStep(deployAndWaitJob, { step: 'start', params: p, state: deployAndWaitJob.initialState(p) });

describe('redirects', () => {
  it('poll redirected (302) to another origin with secret headers: fails at once; the other origin saw nothing', async () => {
    const other = await hostile((res) => json(res, 200, { status: 'UP' }));
    const server = await hostile((res) => redirect(res, 302, `${other.url}/steal?x=1`));
    const transition = await pollOnce({ url: `${server.url}/health`, headers: SECRETS });
    expect(transition).toEqual({
      kind: 'fail',
      message: `${server.url}/health: HTTP 302 to ${other.url}/steal not followed: it leads to another origin at poll 1`,
    });
    expect(other.requests).toEqual([]);
  });

  it('poll redirected (307) within its origin: followed with its headers, succeeds', async () => {
    const server = await hostile((res, req) =>
      req.path === '/old' ? redirect(res, 307, '/new') : json(res, 200, { status: 'UP' }),
    );
    const transition = await pollOnce({
      url: `${server.url}/old`,
      headers: SECRETS,
      successWhen: { path: 'status', equals: 'UP' },
    });
    expect(transition).toMatchObject({ kind: 'succeed' });
    expect(server.requests.map((r) => [r.path, r.headers['x-api-key']])).toEqual([
      ['/old', 'k-secret'],
      ['/new', 'k-secret'],
    ]);
  });

  it('start POST answered 307 to another origin: fails, not followed; the other origin saw nothing', async () => {
    const other = await hostile((res) => json(res, 201, { id: 'stolen' }));
    const server = await hostile((res) => redirect(res, 307, `${other.url}/deployments`));
    const { transition } = await start(await deployParams(server, { headers: SECRETS }));
    expect(transition).toEqual({
      kind: 'fail',
      message: `start request to ${server.url}/deployments answered HTTP 307 to ${other.url}/deployments, not followed: this request does not follow redirects; set deployUrl to where the service takes the POST`,
    });
    expect(other.requests).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('start POST answered 302 within its origin: not followed either (no POST turned into a GET)', async () => {
    const server = await hostile((res) => redirect(res, 302, '/elsewhere'));
    const { transition } = await start(await deployParams(server));
    expect(transition).toMatchObject({ kind: 'fail' });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /deployments']);
  });

  it('never from https to http, never with user info, at most 5 hops', () => {
    const from = new URL('https://api.example.com/a');
    expect(redirectRefusal('same-origin', from, 'http://api.example.com/a', 0)).toEqual({
      location: 'http://api.example.com/a',
      refused: 'it leaves https',
    });
    expect(redirectRefusal('same-origin', from, 'https://u:p@api.example.com/b', 0)).toEqual({
      location: 'https://api.example.com/b',
      refused: 'it carries user info',
    });
    expect(redirectRefusal('same-origin', from, '/c', 5)?.refused).toBe('more than 5 redirects');
    expect(redirectRefusal('same-origin', from, '/c', 4)).toBeUndefined();
  });
});

describe('user info and error texts', () => {
  it.each([
    [
      waitForHttpJob,
      { url: 'https://user:pw@api.example.com/h?token=abc' },
      'url: url must not contain user info',
    ],
    [
      deployAndWaitJob,
      { deployUrl: 'https://u:p@d.example.com/d', statusUrl: 'https://d.example.com/{id}' },
      'deployUrl: deployUrl must not contain user info',
    ],
    [
      deployAndWaitJob,
      { deployUrl: 'https://d.example.com/d', statusUrl: 'https://u:p@d.example.com/{id}' },
      'statusUrl: statusUrl must not contain user info',
    ],
  ])(
    'a URL with user info is rejected by the schema, naming the field',
    async (job, raw, message) => {
      expect((await paramIssues(job as typeof waitForHttpJob, raw)).join('; ')).toContain(message);
    },
  );

  it('a network error on a URL with user info and a token: the error text holds neither', async () => {
    const error = await fetchJson(
      { url: 'http://user:pw-secret@nonexistent.invalid/x?token=t-secret' },
      { timeoutSeconds: 5 },
    ).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HttpRequestError);
    expect((error as Error).message).toMatch(
      /^network error \w+ \(http:\/\/nonexistent\.invalid\/x\)$/,
    );
    expect(JSON.stringify(error)).not.toMatch(/secret/);
  });
});

describe('statuses where waiting cannot help', () => {
  it('401 on every poll: fails at the 3rd poll (maxAuthFailures) naming the status', async () => {
    const server = await hostile((res) => json(res, 401, { message: 'nope' }));
    const trace = await runStepsToEnd(waitForHttpJob, await waitParams({ url: `${server.url}/h` }));
    expect(trace.transitions.map((t) => t.transition.kind)).toEqual(['wait', 'wait', 'fail']);
    expect(trace.transitions[2]?.transition).toEqual({
      kind: 'fail',
      message: `${server.url}/h: HTTP 401 on 3 polls in a row: the endpoint does not accept the request's credentials (check headers; maxAuthFailures is 3) at poll 3`,
    });
  });

  it('403 with maxAuthFailures 1: fails at the first poll; a 200 in between resets the count', async () => {
    const server = await hostile((res) => json(res, 403, {}));
    expect(await pollOnce({ url: `${server.url}/h`, maxAuthFailures: 1 })).toMatchObject({
      kind: 'fail',
      message: expect.stringContaining('HTTP 403 on 1 poll: the endpoint does not accept'),
    });
    const flaky = await hostile((res, _req, n) =>
      json(res, n % 2 === 0 ? 401 : 200, { status: 'WAIT' }),
    );
    const trace = await runStepsToEnd(
      waitForHttpJob,
      await waitParams({
        url: `${flaky.url}/h`,
        maxAuthFailures: 2,
        successWhen: { path: 'status', equals: 'UP' },
      }),
      6,
    ).catch((err: Error) => err.message);
    expect(trace).toBe('job wait-for-http did not finish within 6 transitions');
  });

  it('404: polled through by wait-for-http, fails after maxNotFound when set', async () => {
    const server = await hostile((res) => json(res, 404, {}));
    expect(await pollOnce({ url: `${server.url}/h` })).toMatchObject({
      kind: 'wait',
      summary: 'poll 1: HTTP 404',
    });
    const trace = await runStepsToEnd(
      waitForHttpJob,
      await waitParams({ url: `${server.url}/h`, maxNotFound: 2 }),
    );
    expect(trace.transitions.at(-1)?.transition).toEqual({
      kind: 'fail',
      message: `${server.url}/h: HTTP 404 on 2 polls in a row (maxNotFound is 2) at poll 2`,
    });
  });

  it('410 on the status of a started deployment: fails after 10 (the default of deploy-and-wait)', async () => {
    const server = await hostile((res, req) =>
      req.method === 'POST' ? json(res, 201, { id: 'd-1' }) : json(res, 410, {}),
    );
    const trace = await runStepsToEnd(deployAndWaitJob, await deployParams(server), 20);
    expect(trace.transitions.at(-1)?.transition).toEqual({
      kind: 'fail',
      message: 'deployment d-1: HTTP 410 on 10 polls in a row (maxNotFound is 10) at poll 10',
    });
  });

  it('409 with Retry-After: 120 on a status poll: the next poll comes 120 s later, not 30', async () => {
    const server = await hostile((res) => json(res, 409, {}, { 'retry-after': '120' }));
    expect(await pollOnce({ url: `${server.url}/h` })).toMatchObject({
      kind: 'wait',
      seconds: 120,
    });
  });

  it('503 with a Retry-After past the timeout: fails at once saying so', async () => {
    const server = await hostile((res) => json(res, 503, {}, { 'retry-after': '7200' }));
    expect(await pollOnce({ url: `${server.url}/h`, timeoutSeconds: 600 })).toEqual({
      kind: 'fail',
      message: `${server.url}/h: HTTP 503 Service Unavailable asks to retry after 7200s (Retry-After), past the 600s timeout (1 poll, 1 failed)`,
    });
  });

  it('start answered 409 with Retry-After: 5: waits 5 s and retries with the same Idempotency-Key', async () => {
    const server = await hostile((res, req, n) => {
      if (req.method !== 'POST') return json(res, 200, { status: 'SUCCEEDED' });
      return n === 0
        ? json(res, 409, { message: 'in progress' }, { 'retry-after': '5' })
        : json(res, 201, { id: 'd-9' });
    });
    const trace = await runStepsToEnd(deployAndWaitJob, await deployParams(server));
    expect(trace.transitions[0]).toMatchObject({
      step: 'start',
      transition: {
        kind: 'wait',
        seconds: 5,
        summary: 'start: HTTP 409, retrying in 5s as Retry-After asks',
      },
    });
    expect(trace.transitions.at(-1)?.transition).toMatchObject({ kind: 'succeed' });
    const keys = server.requests
      .filter((r) => r.method === 'POST')
      .map((r) => r.headers['idempotency-key']);
    expect(keys).toEqual(['run-test:start:1', 'run-test:start:1']);
  });

  it('start answered 429 with a Retry-After past timeoutSeconds: fails at once', async () => {
    const server = await hostile((res) => json(res, 429, {}, { 'retry-after': '4000' }));
    const { transition } = await start(await deployParams(server));
    expect(transition).toMatchObject({
      kind: 'fail',
      message: expect.stringContaining(
        'answered HTTP 429 asking to retry after 4000s (Retry-After), past the 3600s timeout',
      ),
    });
  });

  it('idempotencyKeyPrefix goes before the key', async () => {
    const server = await hostile((res) => json(res, 201, { id: 'd-1' }));
    await start(
      await deployParams(server, { idempotencyKeyPrefix: '6f1c2d3e-aaaa-bbbb-cccc-0123456789ab' }),
    );
    expect(server.requests[0]?.headers['idempotency-key']).toBe(
      '6f1c2d3e-aaaa-bbbb-cccc-0123456789ab:run-test:start:1',
    );
  });
});

describe('loopback and link-local targets (BATON_HTTP_ALLOW_LOOPBACK unset)', () => {
  it.each([
    ['127.0.0.1', (s: HostileServer) => `${s.url}/h`, 'refused: 127.0.0.1 is a loopback address'],
    [
      'localhost',
      (s: HostileServer) => s.url.replace('127.0.0.1', 'localhost'),
      // The name may resolve to either loopback address first.
      /refused: localhost \((127\.0\.0\.1|::1)\) is a loopback address/,
    ],
    [
      '::ffff:127.0.0.1',
      (s: HostileServer) => s.url.replace('127.0.0.1', '[::ffff:127.0.0.1]'),
      'refused: [::ffff:7f00:1] is a loopback address',
    ],
    [
      '0.0.0.0',
      (s: HostileServer) => s.url.replace('127.0.0.1', '0.0.0.0'),
      'refused: 0.0.0.0 is an unspecified address',
    ],
  ])('%s: the poll fails at once; the server saw nothing', async (_name, urlOf, detail) => {
    const server = await hostile((res) => json(res, 200, { status: 'UP' }));
    vi.stubEnv('BATON_HTTP_ALLOW_LOOPBACK', '');
    const transition = await pollOnce({ url: urlOf(server) });
    const message =
      typeof detail === 'string' ? expect.stringContaining(detail) : expect.stringMatching(detail);
    expect(transition).toMatchObject({ kind: 'fail', message });
    expect((transition as { message: string }).message).toContain(
      '(set BATON_HTTP_ALLOW_LOOPBACK=1 to allow) at poll 1',
    );
    expect(server.requests).toEqual([]);
  });

  it('the Lambda Runtime API and the metadata endpoint: refused without a connection', async () => {
    vi.stubEnv('BATON_HTTP_ALLOW_LOOPBACK', '');
    expect(await pollOnce({ url: 'http://169.254.169.254/latest/meta-data/' })).toMatchObject({
      kind: 'fail',
      message: expect.stringContaining('refused: 169.254.169.254 is a link-local address'),
    });
    const { transition } = await testStep(deployAndWaitJob, {
      step: 'start',
      params: await validateParams(deployAndWaitJob, {
        deployUrl: 'http://127.0.0.1:9001/2018-06-01/runtime/invocation/next',
        statusUrl: 'http://127.0.0.1:9001/{id}',
      }),
      state: { polls: 0, errors: 0 },
    });
    expect(transition).toMatchObject({
      kind: 'fail',
      message: expect.stringContaining('refused: 127.0.0.1 is a loopback address'),
    });
  });

  it('with BATON_HTTP_ALLOW_LOOPBACK=1 loopback is polled', async () => {
    const server = await hostile((res) => json(res, 200, { status: 'UP' }));
    vi.stubEnv('BATON_HTTP_ALLOW_LOOPBACK', '1');
    expect(await pollOnce({ url: `${server.url}/h` })).toMatchObject({ kind: 'succeed' });
  });
});

describe('headers as the HTTP client will take them', () => {
  it.each([
    [
      { 'transfer-encoding': 'chunked' },
      'headers.transfer-encoding: headers must not set transfer-encoding',
    ],
    [{ Expect: '100-continue' }, 'headers.Expect: headers must not set expect'],
    [{ upgrade: 'websocket' }, 'headers.upgrade: headers must not set upgrade'],
    [
      { 'x-a': 'a\u0001b' },
      'headers.x-a: headers values may hold tab, printable ASCII and Latin-1',
    ],
    [
      { 'x-a': 'caf\u0113' },
      'headers.x-a: headers values may hold tab, printable ASCII and Latin-1',
    ],
    [{ 'x-a': 'a\r\nx-b: c' }, 'headers.x-a: headers values may hold'],
  ])('%j is rejected by the schema', async (headers, message) => {
    const issues = await paramIssues(waitForHttpJob, { url: 'https://x.example/h', headers });
    expect(issues.join('; ')).toContain(message);
  });
});
