import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SeenRequest, startHostileServer } from './hostile-server.js';

/** A request the test server received. */
export type ReceivedRequest = SeenRequest;

/** How the test server answers one request; `'hang'` never answers. */
export type Reply = { status: number; body?: unknown; rawBody?: string } | 'hang';

/** A loopback HTTP server answering from a script, recording requests. */
export interface TestServer {
  url: string;
  requests: ReceivedRequest[];
  stop(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 whose n-th request gets `reply(request, n)`.
 * JSON bodies are encoded; `rawBody` is sent as it is.
 */
export async function startTestServer(
  reply: (request: ReceivedRequest, index: number) => Reply,
): Promise<TestServer> {
  const server = await startHostileServer((res, request, index) => {
    const answer = reply(request, index);
    if (answer === 'hang') return;
    const text = answer.rawBody ?? (answer.body === undefined ? '' : JSON.stringify(answer.body));
    res.writeHead(answer.status, {
      'content-type': answer.rawBody === undefined ? 'application/json' : 'text/plain',
    });
    res.end(text);
  });
  return { url: server.url, requests: server.requests, stop: server.stop };
}

/** A loopback URL nothing listens on (a port just closed), for connection errors. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/health`;
}
