// Hostile endpoints, part 1: what a response body can do. Each case runs a
// loopback server of its own; each test name states the expected report.

import { gzipSync } from 'node:zlib';
import { runStepsToEnd, testStep, validateParams } from '@baton/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type DeployAndWaitParams,
  DeployStartError,
  deployAndWaitJob,
  waitForHttpJob,
} from '../src/index.js';
import { type HostileServer, startHostileServer, stream } from './hostile-server.js';

const MiB = 1024 * 1024;
const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function hostile(answer: Parameters<typeof startHostileServer>[0]): Promise<HostileServer> {
  const server = await startHostileServer(answer);
  servers.push(server);
  return server;
}

const waitParams = (raw: Record<string, unknown>) => validateParams(waitForHttpJob, raw);
const pollOnceWith = async (raw: Record<string, unknown>) => {
  const p = await waitParams(raw);
  return (
    await testStep(waitForHttpJob, {
      step: 'poll',
      params: p,
      state: waitForHttpJob.initialState(p),
    })
  ).transition;
};
const deployParams = (server: HostileServer, extra: Record<string, unknown> = {}) =>
  validateParams(deployAndWaitJob, {
    deployUrl: `${server.url}/deployments`,
    statusUrl: `${server.url}/deployments/{id}`,
    ...extra,
  });
const start = (p: DeployAndWaitParams) =>
  testStep(deployAndWaitJob, { step: 'start', params: p, state: deployAndWaitJob.initialState(p) });

const json = (res: import('node:http').ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
};

describe('hostile bodies', () => {
  it('gzip bomb (40 KiB → 40 MiB): failed poll "body over the 4 MiB limit", polling goes on', async () => {
    const bomb = gzipSync(Buffer.alloc(40 * MiB, ' '));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const server = await hostile((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const transition = await pollOnceWith({ url: `${server.url}/status` });
    expect(transition).toMatchObject({
      kind: 'wait',
      summary:
        'poll 1: HTTP 200, body over the 4 MiB limit (maxResponseBytes); 1 failed poll so far, still polling',
      state: { errors: 1 },
    });
  });

  it('Content-Length over the limit: refused before reading, the server wrote almost nothing', async () => {
    const server = await hostile((res, _req, _n, self) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 100 * MiB });
      stream(res, self, Buffer.alloc(64 * 1024, ' '), 100 * MiB);
    });
    const transition = await pollOnceWith({ url: `${server.url}/status`, maxResponseBytes: MiB });
    expect(transition).toMatchObject({
      kind: 'wait',
      summary: expect.stringContaining('poll 1: HTTP 200, body over the 1 MiB limit'),
    });
    await until(() => server.written.closedEarly);
    // The client hung up at once: the server got no further than its socket buffers.
    expect(server.written.bytes).toBeLessThan(100 * MiB);
  });

  it('HEAD answered with a Content-Length of 1 GiB: succeeds (a HEAD answer has no body)', async () => {
    const server = await hostile((res) => {
      res.writeHead(200, { 'content-length': 1024 * MiB });
      res.end();
    });
    const transition = await pollOnceWith({ url: `${server.url}/file`, method: 'HEAD' });
    expect(transition).toMatchObject({ kind: 'succeed', outputVariables: { httpStatus: '200' } });
  });

  it('huge chunked body (no Content-Length): reading stops at the limit', async () => {
    const server = await hostile((res, _req, _n, self) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      stream(res, self, Buffer.alloc(64 * 1024, ' '), 200 * MiB);
    });
    const transition = await pollOnceWith({ url: `${server.url}/status` });
    expect(transition).toMatchObject({
      kind: 'wait',
      summary: expect.stringContaining('HTTP 200, body over the 4 MiB limit'),
    });
    await until(() => server.written.closedEarly);
    expect(server.written.bytes).toBeLessThan(200 * MiB);
  });

  it('never-ending slow body: failed poll "no response within 1s"', async () => {
    const server = await hostile((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"status":');
      const drip = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(drip));
    });
    const transition = await pollOnceWith({ url: `${server.url}/s`, requestTimeoutSeconds: 1 });
    expect(transition).toMatchObject({
      kind: 'wait',
      summary: 'poll 1: no response within 1s; 1 failed poll so far, still polling',
    });
  });

  it('over-limit start response: a retryable DeployStartError; the POST was sent once', async () => {
    const server = await hostile((res) =>
      json(res, 201, `{"id":"d-1","pad":"${'x'.repeat(2 * MiB)}"}`),
    );
    const p = await deployParams(server, { maxResponseBytes: MiB });
    const error = await start(p).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DeployStartError);
    expect((error as Error).message).toBe(
      `start request to ${server.url}/deployments failed: HTTP 201, body over the 1 MiB limit (maxResponseBytes)`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('JSON nested 5,000 deep at the successWhen path: pending with a bounded preview', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const server = await hostile((res) => json(res, 200, `{"status":${deep}}`));
    const transition = await pollOnceWith({
      url: `${server.url}/s`,
      successWhen: { path: 'status', equals: 'UP' },
      failureWhen: { path: 'status', in: [[]] },
    });
    expect(transition).toMatchObject({
      kind: 'wait',
      summary: 'poll 1: HTTP 200, status=[[[[[[[[[…]]]]]]]]]',
    });
  });

  it('JSON nested 5,000 deep in a start response without an id: ConfigurationError, bounded preview', async () => {
    const server = await hostile((res) =>
      json(res, 201, `{"x":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`),
    );
    const { transition } = await start(await deployParams(server));
    expect(transition).toMatchObject({ kind: 'fail', type: 'ConfigurationError' });
    const message = (transition as { message: string }).message;
    expect(message).toContain(
      'without a deployment id (string or number) at idPath "id": {"x":{"a":{"a":',
    );
    expect(message.length).toBeLessThan(500);
  });

  it('id 12345678901234567890 (beyond 2^53): read exactly from the body text, polled as such', async () => {
    const server = await hostile((res, req) =>
      req.method === 'POST'
        ? json(res, 201, '{"id":12345678901234567890}')
        : json(res, 200, '{"status":"SUCCEEDED"}'),
    );
    const trace = await runStepsToEnd(deployAndWaitJob, await deployParams(server));
    expect(trace.transitions.at(-1)?.transition).toMatchObject({
      kind: 'succeed',
      outputVariables: { deploymentId: '12345678901234567890' },
    });
    expect(server.requests.map((r) => r.path)).toEqual([
      '/deployments',
      '/deployments/12345678901234567890',
    ]);
  });

  it.each([
    ['a 130,000-character id', `"${'a'.repeat(130_000)}"`, '130000 characters long (at most 128)'],
    ['a fraction', '1.5', 'a number that is not a whole number ≥ 0 (1.5)'],
    [
      'an id with escapes and a space',
      '"d-1\\u001b[2J x"',
      'a string with characters other than letters, digits and ._~:@+=,/-',
    ],
    ['an object', '{"n":1}', 'an object, not a string or number'],
  ])(
    '%s as the deployment id: the start fails saying why, nothing is polled',
    async (_name, id, problem) => {
      const server = await hostile((res) => json(res, 201, `{"id":${id}}`));
      const { transition } = await start(await deployParams(server));
      expect(transition).toEqual({
        kind: 'fail',
        message: `start request to ${server.url}/deployments answered HTTP 201 with an unusable deployment id at idPath "id": ${problem}`,
      });
      expect(server.requests).toHaveLength(1);
    },
  );

  it('terminal escapes in an error body: the failure message holds none of them', async () => {
    const server = await hostile((res) => {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(
        '\x1b]0;pwned\x07\x1b[2Jbad request \u202egnp.exe see https://u:pw@x.example/a?token=abc',
      );
    });
    const { transition } = await start(await deployParams(server));
    expect(transition).toEqual({
      kind: 'fail',
      message: `start request to ${server.url}/deployments was rejected with HTTP 400: ]0;pwned[2Jbad request gnp.exe see https://x.example/a`,
    });
  });

  it('escapes inside a JSON status value: shown JSON-escaped, bidi overrides removed', async () => {
    const server = await hostile((res) => json(res, 200, '{"status":"\\u001b[31mRED\\u202e"}'));
    const transition = await pollOnceWith({
      url: `${server.url}/s`,
      successWhen: { path: 'status', equals: 'UP' },
    });
    expect(transition).toMatchObject({ summary: 'poll 1: HTTP 200, status="\\u001b[31mRED"' });
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}
