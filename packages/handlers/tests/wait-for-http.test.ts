import { paramIssues, testStep, validateParams } from '@baton/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type WaitForHttpParams, type WaitForHttpState, waitForHttpJob } from '../src/index.js';
import { closedPortUrl, type Reply, startTestServer, type TestServer } from './test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function serve(replies: Reply[]): Promise<TestServer> {
  server = await startTestServer(
    (_request, index) => replies[Math.min(index, replies.length - 1)] ?? { status: 500 },
  );
  return server;
}

const params = (raw: Record<string, unknown>) => validateParams(waitForHttpJob, raw);
const poll = (p: WaitForHttpParams, state: WaitForHttpState) =>
  testStep(waitForHttpJob, { step: 'poll', params: p, state });
const initial = (p: WaitForHttpParams) => waitForHttpJob.initialState(p);

describe('wait-for-http params', () => {
  it('fills the defaults', async () => {
    expect(await params({ url: 'http://127.0.0.1:8080/health' })).toEqual({
      url: 'http://127.0.0.1:8080/health',
      method: 'GET',
      intervalSeconds: 30,
      timeoutSeconds: 3600,
      requestTimeoutSeconds: 10,
      maxResponseBytes: 4 * 1024 * 1024,
      maxAuthFailures: 3,
    });
  });

  it('accepts every field, the method in any case', async () => {
    const p = await params({
      url: 'https://api.example.com/jobs',
      method: 'post',
      headers: { authorization: 'Bearer x' },
      body: { q: 1 },
      successWhen: { path: 'items.0.state', equals: 'READY' },
      failureWhen: { path: 'items.0.state', in: ['ERROR'] },
      progressPath: 'progress',
      intervalSeconds: 1.5,
      timeoutSeconds: 60,
      requestTimeoutSeconds: 2.5,
      maxResponseBytes: 65_536,
      maxAuthFailures: 1,
      maxNotFound: 5,
    });
    expect(p.method).toBe('POST');
    expect(p.successWhen).toEqual({ path: 'items.0.state', equals: 'READY' });
    expect(p.intervalSeconds).toBe(1.5);
    expect([p.maxResponseBytes, p.maxAuthFailures, p.maxNotFound]).toEqual([65_536, 1, 5]);
  });

  it.each([
    [{}, 'url: url is required'],
    [{ url: 'ftp://example.com/x' }, 'url: url must be an absolute http:// or https:// URL'],
    [{ url: '/health' }, 'url: url must be an absolute http:// or https:// URL'],
    [
      { url: 'http://x.test', successWhen: { path: 'status' } },
      'successWhen: successWhen needs exactly one of "equals" or "in"',
    ],
    [
      { url: 'http://x.test', successWhen: 'UP' },
      'successWhen: successWhen must be an object like {"path":"status","equals":"SUCCEEDED"}',
    ],
    [
      { url: 'http://x.test', failureWhen: { path: 'a..b', equals: 1 } },
      'failureWhen.path: failureWhen.path must be a dotted path',
    ],
    [
      { url: 'http://x.test', intervalSeconds: 0.001 },
      'intervalSeconds: intervalSeconds must be at least 1',
    ],
    [
      { url: 'http://x.test', requestTimeoutSeconds: 0 },
      'requestTimeoutSeconds: requestTimeoutSeconds must be > 0',
    ],
    [
      { url: 'http://x.test', timeoutSeconds: '60' },
      'timeoutSeconds: timeoutSeconds must be a number of seconds',
    ],
    [
      { url: 'http://x.test', timeoutSeconds: 86_400 },
      'timeoutSeconds: timeoutSeconds must be at most',
    ],
    [{ url: 'http://x.test', method: 'FETCH' }, 'method: method must be one of GET, HEAD, POST'],
    [{ url: 'http://x.test', headers: { a: 1 } }, 'headers.a: headers values must be strings'],
    [
      { url: 'http://x.test', headers: { 'bad name': 'x' } },
      'headers.bad name: headers has an invalid header name "bad name"',
    ],
    [{ url: 'http://x.test', body: 'q=1' }, 'body: body is not allowed with method GET or HEAD'],
    [{ url: 'http://x.test', sucessWhen: {} }, 'Unrecognized key: "sucessWhen"'],
    [
      { url: 'http://x.test', method: 'HEAD', successWhen: { path: 'status', equals: 'UP' } },
      'successWhen: successWhen needs a response body: use GET, not HEAD',
    ],
  ])('rejects %j naming the field', async (raw, message) => {
    const issues = await paramIssues(waitForHttpJob, raw);
    expect(issues.join('; ')).toContain(message);
  });

  it('rejects UserParameters that are not an object', async () => {
    expect(await paramIssues(waitForHttpJob, undefined)).not.toEqual([]);
    expect(await paramIssues(waitForHttpJob, 'https://example.com')).not.toEqual([]);
  });
});

describe('wait-for-http poll step', () => {
  it('succeeds at once on a 2xx without successWhen', async () => {
    const { url } = await serve([{ status: 200, body: { ok: true } }]);
    const p = await params({ url: `${url}/health` });
    const { transition } = await poll(p, initial(p));
    expect(transition).toEqual({
      kind: 'succeed',
      outputVariables: { httpStatus: '200', polls: '1' },
      summary: expect.stringMatching(
        /^http:\/\/127\.0\.0\.1:\d+\/health: HTTP 200 after 1 poll \(\d+s\)$/,
      ),
    });
  });

  it('waits with progress while the condition does not hold, then succeeds', async () => {
    const target = await serve([
      { status: 200, body: { status: 'STARTING' } },
      { status: 200, body: { status: 'STARTING' } },
      { status: 200, body: { status: 'UP', version: '1.2' } },
    ]);
    const p = await params({
      url: `${target.url}/health?token=t0ps3cret`,
      headers: { authorization: 'Bearer t0ps3cret' },
      successWhen: { path: 'status', equals: 'UP' },
      intervalSeconds: 15,
    });

    const first = await poll(p, initial(p));
    expect(first.transition).toEqual({
      kind: 'wait',
      seconds: 15,
      percentComplete: 0,
      summary: 'poll 1: HTTP 200, status="STARTING"',
      state: {
        startedAt: expect.any(Number),
        polls: 1,
        errors: 0,
        lastSeen: 'HTTP 200, status="STARTING"',
        lastResponse: 'HTTP 200, status="STARTING"',
      },
    });
    if (first.transition.kind !== 'wait') throw new Error('expected wait');
    const afterFirst = { ...initial(p), ...first.transition.state };

    const second = await poll(p, afterFirst);
    if (second.transition.kind !== 'wait') throw new Error('expected wait');
    expect(second.transition.summary).toBe('poll 2: HTTP 200, status="STARTING"');
    // The timeout counts from the first poll: the start time is kept.
    expect(second.transition.state?.startedAt).toBe(afterFirst.startedAt);

    const third = await poll(p, { ...afterFirst, ...second.transition.state });
    expect(third.transition).toEqual({
      kind: 'succeed',
      outputVariables: { httpStatus: '200', matchedValue: '"UP"', polls: '3' },
      summary: expect.stringContaining(': HTTP 200, status="UP" after 3 polls'),
    });

    // Headers went out; neither the header nor the query string reached the logs.
    expect(target.requests.every((r) => r.headers.authorization === 'Bearer t0ps3cret')).toBe(true);
    expect(JSON.stringify([first.logs, second.logs, third.logs])).not.toContain('t0ps3cret');
    expect(JSON.stringify(third.transition)).not.toContain('t0ps3cret');
  });

  it('says how long the wait took in the success summary', async () => {
    const { url } = await serve([{ status: 200, body: { status: 'UP' } }]);
    const p = await params({ url, successWhen: { path: 'status', equals: 'UP' } });
    const startedAt = Date.now() - (3600 + 125) * 1000;
    const long = await poll({ ...p, timeoutSeconds: 7200 }, { ...initial(p), startedAt, polls: 4 });
    expect(long.transition).toMatchObject({
      summary: expect.stringMatching(/after 5 polls \(1h 2m\)$/),
    });
    const short = await poll(p, { ...initial(p), startedAt: Date.now() - 125_000, polls: 1 });
    expect(short.transition).toMatchObject({
      summary: expect.stringMatching(/after 2 polls \(2m \d+s\)$/),
    });
  });

  it('fails when failureWhen holds, saying what it saw', async () => {
    const { url } = await serve([{ status: 200, body: { state: { phase: 'CRASHED' } } }]);
    const p = await params({
      url,
      successWhen: { path: 'state.phase', equals: 'RUNNING' },
      failureWhen: { path: 'state.phase', in: ['CRASHED', 'STOPPED'] },
    });
    const { transition } = await poll(p, initial(p));
    expect(transition).toEqual({
      kind: 'fail',
      message: expect.stringContaining(
        'failureWhen matched (state.phase in ["CRASHED","STOPPED"]) at poll 1: HTTP 200, state.phase="CRASHED"',
      ),
    });
  });

  it('fails once the timeout has passed since the first poll, with the last status seen', async () => {
    const { url } = await serve([{ status: 200, body: { status: 'STARTING' } }]);
    const p = await params({
      url,
      successWhen: { path: 'status', equals: 'UP' },
      timeoutSeconds: 60,
    });
    const state = { ...initial(p), startedAt: Date.now() - 61_000, polls: 7, errors: 2 };
    const { transition } = await poll(p, state);
    expect(transition.kind).toBe('fail');
    if (transition.kind !== 'fail') return;
    expect(transition.message).toContain('timed out after 60s waiting for status = "UP"');
    expect(transition.message).toContain('(8 polls, 2 failed)');
    expect(transition.message).toContain('last seen: HTTP 200, status="STARTING"');
  });

  it('never waits past the timeout', async () => {
    const { url } = await serve([{ status: 200, body: { status: 'STARTING' } }]);
    const p = await params({
      url,
      successWhen: { path: 'status', equals: 'UP' },
      intervalSeconds: 30,
      timeoutSeconds: 60,
    });
    const { transition } = await poll(p, { ...initial(p), startedAt: Date.now() - 50_000 });
    if (transition.kind !== 'wait') throw new Error(`expected wait, got ${transition.kind}`);
    expect(transition.seconds).toBeGreaterThan(0);
    expect(transition.seconds).toBeLessThanOrEqual(10);
    // Without a progress value, progress is the share of the timeout used.
    expect(transition.percentComplete).toBeGreaterThanOrEqual(83);
    expect(transition.percentComplete).toBeLessThanOrEqual(99);
  });

  it('counts network errors and keeps polling', async () => {
    const url = await closedPortUrl();
    const p = await params({ url, intervalSeconds: 5 });
    const first = await poll(p, initial(p));
    expect(first.transition).toEqual({
      kind: 'wait',
      seconds: 5,
      percentComplete: 0,
      summary: 'poll 1: network error ECONNREFUSED; 1 failed poll so far, still polling',
      state: {
        startedAt: expect.any(Number),
        polls: 1,
        errors: 1,
        lastSeen: 'network error ECONNREFUSED',
      },
    });
    if (first.transition.kind !== 'wait') return;
    const second = await poll(p, { ...initial(p), ...first.transition.state });
    if (second.transition.kind !== 'wait') throw new Error('expected wait');
    expect(second.transition.state?.errors).toBe(2);
    expect(second.transition.summary).toBe(
      'poll 2: network error ECONNREFUSED; 2 failed polls so far, still polling',
    );
  });

  it('counts 5xx responses and keeps polling until the service answers', async () => {
    const { url } = await serve([
      { status: 502, body: { status: 'UP' } },
      { status: 200, body: { status: 'UP' } },
    ]);
    const p = await params({ url, successWhen: { path: 'status', equals: 'UP' } });
    const first = await poll(p, initial(p));
    if (first.transition.kind !== 'wait') throw new Error('expected wait');
    expect(first.transition.summary).toBe(
      'poll 1: HTTP 502 Bad Gateway; 1 failed poll so far, still polling',
    );
    expect(first.transition.state?.errors).toBe(1);
    const second = await poll(p, { ...initial(p), ...first.transition.state });
    expect(second.transition).toMatchObject({
      kind: 'succeed',
      outputVariables: { httpStatus: '200', matchedValue: '"UP"', polls: '2' },
    });
  });

  it('on a timeout after errors, names the error and the last real response', async () => {
    const url = await closedPortUrl();
    const p = await params({ url, timeoutSeconds: 10 });
    const state = {
      ...initial(p),
      startedAt: Date.now() - 11_000,
      polls: 3,
      errors: 0,
      lastResponse: 'HTTP 404',
    };
    const { transition } = await poll(p, state);
    if (transition.kind !== 'fail') throw new Error('expected fail');
    expect(transition.message).toContain('waiting for a 2xx response (4 polls, 1 failed)');
    expect(transition.message).toContain(
      'last seen: network error ECONNREFUSED; last response: HTTP 404',
    );
  });

  it('sends the configured method and body', async () => {
    const target = await serve([{ status: 200, body: { ready: true } }]);
    const p = await params({
      url: target.url,
      method: 'POST',
      body: { query: 'status' },
      successWhen: { path: 'ready', equals: true },
    });
    const { transition } = await poll(p, initial(p));
    expect(transition.kind).toBe('succeed');
    expect(target.requests[0]?.method).toBe('POST');
    expect(JSON.parse(target.requests[0]?.body ?? '')).toEqual({ query: 'status' });
  });
});
