import { afterEach, describe, expect, it } from 'vitest';
import { displayUrl, fetchJson, HttpRequestError, pollOnce } from '../src/index.js';
import { closedPortUrl, type Reply, startTestServer, type TestServer } from './test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function serve(reply: Reply | ((index: number) => Reply)): Promise<TestServer> {
  server = await startTestServer((_request, index) =>
    typeof reply === 'function' ? reply(index) : reply,
  );
  return server;
}

const successWhen = { path: 'status', equals: 'SUCCEEDED' };
const failureWhen = { path: 'status', in: ['FAILED', 'ROLLED_BACK'] };

describe('pollOnce', () => {
  it('succeeds on any 2xx without successWhen', async () => {
    const { url } = await serve({ status: 204 });
    expect(await pollOnce({ request: { url }, requestTimeoutSeconds: 5 })).toEqual({
      outcome: 'succeeded',
      status: 204,
      seen: 'HTTP 204',
    });
  });

  it('keeps polling on a 4xx without successWhen', async () => {
    const { url } = await serve({ status: 404, body: { error: 'not yet' } });
    expect(await pollOnce({ request: { url }, requestTimeoutSeconds: 5 })).toEqual({
      outcome: 'pending',
      status: 404,
      seen: 'HTTP 404',
    });
  });

  it('succeeds when successWhen holds, with the matched value', async () => {
    const { url } = await serve({ status: 200, body: { status: 'SUCCEEDED' } });
    expect(
      await pollOnce({ request: { url }, successWhen, failureWhen, requestTimeoutSeconds: 5 }),
    ).toEqual({
      outcome: 'succeeded',
      status: 200,
      matchedValue: 'SUCCEEDED',
      seen: 'HTTP 200, status="SUCCEEDED"',
    });
  });

  it('reports what it saw while successWhen does not hold, and the progress', async () => {
    const { url } = await serve({ status: 200, body: { status: 'IN_PROGRESS', progress: 40 } });
    expect(
      await pollOnce({
        request: { url },
        successWhen,
        failureWhen,
        progressPath: 'progress',
        requestTimeoutSeconds: 5,
      }),
    ).toEqual({
      outcome: 'pending',
      status: 200,
      progress: 40,
      seen: 'HTTP 200, status="IN_PROGRESS"',
    });
  });

  it('does not succeed on a 4xx even when its body matches successWhen', async () => {
    const { url } = await serve({ status: 409, body: { status: 'SUCCEEDED' } });
    const result = await pollOnce({ request: { url }, successWhen, requestTimeoutSeconds: 5 });
    expect(result.outcome).toBe('pending');
    expect(result.seen).toBe('HTTP 409, status="SUCCEEDED"');
  });

  it('says when the value is missing or the body is not JSON', async () => {
    const { url } = await serve((index) =>
      index === 0 ? { status: 200, body: { other: 1 } } : { status: 200, rawBody: 'OK' },
    );
    const options = { request: { url }, successWhen, requestTimeoutSeconds: 5 };
    expect((await pollOnce(options)).seen).toBe('HTTP 200, status missing');
    expect((await pollOnce(options)).seen).toBe('HTTP 200, body is not JSON');
  });

  it('checks failureWhen before successWhen', async () => {
    const { url } = await serve({ status: 200, body: { status: 'ROLLED_BACK' } });
    const result = await pollOnce({
      request: { url },
      // Both conditions hold: failure must win.
      successWhen: { path: 'status', in: ['ROLLED_BACK', 'SUCCEEDED'] },
      failureWhen,
      requestTimeoutSeconds: 5,
    });
    expect(result).toEqual({
      outcome: 'failed',
      status: 200,
      matchedValue: 'ROLLED_BACK',
      seen: 'HTTP 200, status="ROLLED_BACK"',
    });
  });

  it('checks failureWhen on 4xx responses too', async () => {
    const { url } = await serve({ status: 410, body: { status: 'FAILED' } });
    const result = await pollOnce({ request: { url }, failureWhen, requestTimeoutSeconds: 5 });
    expect(result.outcome).toBe('failed');
  });

  it('treats a 5xx as unavailable without looking at the body', async () => {
    const { url } = await serve({ status: 503, body: { status: 'FAILED' } });
    expect(
      await pollOnce({ request: { url }, successWhen, failureWhen, requestTimeoutSeconds: 5 }),
    ).toEqual({ outcome: 'unavailable', status: 503, seen: 'HTTP 503 Service Unavailable' });
  });

  it('treats a refused connection as unavailable', async () => {
    const url = await closedPortUrl();
    expect(await pollOnce({ request: { url }, requestTimeoutSeconds: 5 })).toEqual({
      outcome: 'unavailable',
      seen: 'network error ECONNREFUSED',
    });
  });

  it('treats a response that does not come in time as unavailable', async () => {
    const { url } = await serve('hang');
    expect(await pollOnce({ request: { url }, requestTimeoutSeconds: 0.2 })).toEqual({
      outcome: 'unavailable',
      seen: 'no response within 0.2s',
    });
  });

  it("rejects with the caller's abort reason when the caller's signal aborts", async () => {
    const { url } = await serve('hang');
    const controller = new AbortController();
    const reason = new Error('time budget used up');
    const polling = pollOnce({
      request: { url },
      requestTimeoutSeconds: 30,
      signal: controller.signal,
    });
    // Abort only once the server has the request, so the fetch itself is cut.
    await until(() => server?.requests.length === 1);
    controller.abort(reason);
    await expect(polling).rejects.toBe(reason);
  });
});

describe('fetchJson', () => {
  it('sends method, headers and a JSON body, and asks for JSON', async () => {
    const target = await serve({ status: 201, body: { ok: true } });
    const response = await fetchJson(
      {
        url: `${target.url}/things?x=1`,
        method: 'POST',
        headers: { 'x-trace': 'abc' },
        body: { name: 'web', replicas: 2 },
      },
      { timeoutSeconds: 5 },
    );
    expect(response).toEqual({
      status: 201,
      statusText: 'Created',
      text: '{"ok":true}',
      json: { ok: true },
    });
    const [request] = target.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/things?x=1');
    expect(request?.headers['x-trace']).toBe('abc');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({ name: 'web', replicas: 2 });
  });

  it('sends a string body as it is and keeps a given content-type and accept', async () => {
    const target = await serve({ status: 200, rawBody: 'fine' });
    const response = await fetchJson(
      {
        url: target.url,
        method: 'PUT',
        headers: { 'content-type': 'text/plain', accept: 'text/plain' },
        body: 'a=1',
      },
      { timeoutSeconds: 5 },
    );
    expect(response.json).toBeUndefined();
    expect(response.text).toBe('fine');
    expect(target.requests[0]?.body).toBe('a=1');
    expect(target.requests[0]?.headers['content-type']).toBe('text/plain');
    expect(target.requests[0]?.headers.accept).toBe('text/plain');
  });

  it('throws HttpRequestError naming the URL without its query', async () => {
    const url = `${await closedPortUrl()}?token=secret`;
    const error = await fetchJson({ url }, { timeoutSeconds: 5 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(HttpRequestError);
    expect((error as HttpRequestError).reason).toBe('network');
    expect((error as Error).message).toContain(displayUrl(url));
    expect((error as Error).message).not.toContain('secret');
  });
});

describe('displayUrl', () => {
  it('drops user info, query and fragment', () => {
    expect(displayUrl('https://u:p@api.example.com:8443/a/b?token=x#frag')).toBe(
      'https://api.example.com:8443/a/b',
    );
    expect(displayUrl('not a url')).toBe('(invalid URL)');
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!condition()) throw new Error('condition not reached');
}
