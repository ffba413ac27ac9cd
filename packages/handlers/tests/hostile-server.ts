import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a hostile server received. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback server answering with raw `node:http` code, recording what it received. */
export interface HostileServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request received, in order. */
  requests: SeenRequest[];
  /** Body bytes written by the handlers so far (via {@link HostileServer.count}). */
  written: { bytes: number; closedEarly: boolean };
  stop(): Promise<void>;
}

/**
 * Starts a server on 127.0.0.1 whose n-th request is answered by
 * `answer(res, request, n, server)`. The answer owns the response: it may
 * stream forever, lie in its headers or never end.
 */
export async function startHostileServer(
  answer: (res: ServerResponse, request: SeenRequest, index: number, server: HostileServer) => void,
): Promise<HostileServer> {
  const requests: SeenRequest[] = [];
  const self: HostileServer = {
    url: '',
    requests,
    written: { bytes: 0, closedEarly: false },
    stop: async () => {},
  };
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: SeenRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(request);
    res.on('close', () => {
      if (!res.writableFinished) self.written.closedEarly = true;
    });
    answer(res, request, requests.length - 1, self);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  self.url = `http://127.0.0.1:${port}`;
  self.stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return self;
}

/**
 * Writes `chunk` again and again, honouring backpressure, until `total` bytes
 * are written (then ends) or the client goes away. Counts what it wrote.
 */
export function stream(res: ServerResponse, server: HostileServer, chunk: Buffer, total: number) {
  const pump = () => {
    while (server.written.bytes < total) {
      if (res.destroyed) return;
      server.written.bytes += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}
