import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { assertHostAllowed, checkedLookup } from './target-policy.js';

/** One HTTP request as sent on the wire. */
export interface Exchange {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
}

/** Bounds of one exchange. */
export interface ExchangeLimits {
  /** Largest body accepted, compressed and decompressed alike. */
  readonly maxBodyBytes: number;
  /** Whether loopback and link-local addresses may be reached. */
  readonly allowLoopback: boolean;
  /** Aborts the exchange (timeout, caller). */
  readonly signal: AbortSignal;
}

/** A response with its whole (decompressed) body. */
export interface RawResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/** Where a body went over the limit. */
export const OverLimit = {
  /** `Content-Length` announced more than the limit: nothing was read. */
  ContentLength: 'content-length',
  /** More bytes arrived on the wire than the limit. */
  Compressed: 'compressed',
  /** The body decompressed to more than the limit. */
  Decompressed: 'decompressed',
} as const;
export type OverLimit = (typeof OverLimit)[keyof typeof OverLimit];

/** A response whose body is larger than allowed; reading stopped there. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  /** Status of the response. */
  readonly status: number;
  /** The limit in bytes. */
  readonly limit: number;
  /** What went over it. */
  readonly where: OverLimit;

  constructor(status: number, limit: number, where: OverLimit) {
    super(`HTTP ${status} body over the ${formatBytes(limit)} limit (${where})`);
    this.status = status;
    this.limit = limit;
    this.where = where;
  }
}

/** Encodings Baton decodes, hence offers. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/**
 * Sends one request with `node:http(s)` and reads the response body as a
 * stream, stopping at `maxBodyBytes` on the wire and after decompression.
 * Redirects are returned, not followed. Unlike `fetch` (undici), this never
 * buffers an unbounded or decompression-bomb body, and its `lookup` sees the
 * address the socket connects to, so the address policy cannot be dodged by
 * a name that resolves differently the second time.
 *
 * @throws {@link BodyTooLargeError} when the body is over the limit.
 * @throws `RefusedTargetError` when the target address is refused.
 * @throws the signal's reason when it aborts, or the socket's error.
 */
export function exchange(request: Exchange, limits: ExchangeLimits): Promise<RawResponse> {
  if (!limits.allowLoopback) assertHostAllowed(request.url.hostname);
  const send = request.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let reading: Readable | undefined;
    const finish = (err: unknown, value?: RawResponse) => {
      if (settled) return;
      settled = true;
      limits.signal.removeEventListener('abort', onAbort);
      if (err !== undefined) {
        req.destroy();
        reading?.destroy();
        reject(err);
      } else if (value) resolve(value);
    };
    const onAbort = () => finish(limits.signal.reason);
    const headers: Record<string, string> = { ...request.headers };
    if (request.body !== undefined) {
      headers['content-length'] = String(Buffer.byteLength(request.body));
    }
    const req = send(request.url, {
      method: request.method,
      headers,
      ...(limits.allowLoopback ? {} : { lookup: checkedLookup }),
    });
    if (limits.signal.aborted) {
      finish(limits.signal.reason);
      return;
    }
    limits.signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => finish(err));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const statusText = res.statusMessage ?? '';
      // A HEAD, 204 or 304 answer announces a length it does not send.
      const bodyless = request.method === 'HEAD' || status === 204 || status === 304;
      const announced = bodyless ? 0 : Number(res.headers['content-length']);
      if (Number.isFinite(announced) && announced > limits.maxBodyBytes) {
        finish(new BodyTooLargeError(status, limits.maxBodyBytes, OverLimit.ContentLength));
        return;
      }
      let wire = 0;
      res.on('data', (chunk: Buffer) => {
        wire += chunk.length;
        if (wire > limits.maxBodyBytes) {
          finish(new BodyTooLargeError(status, limits.maxBodyBytes, OverLimit.Compressed));
        }
      });
      res.on('error', (err) => finish(err));
      res.on('close', () => {
        if (!res.complete) finish(closedEarly());
      });
      const decoded = decoder(res);
      reading = decoded;
      const chunks: Buffer[] = [];
      let size = 0;
      decoded.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBodyBytes) {
          decoded.destroy();
          finish(new BodyTooLargeError(status, limits.maxBodyBytes, OverLimit.Decompressed));
          return;
        }
        chunks.push(chunk);
      });
      decoded.on('error', (err) => finish(err));
      decoded.on('end', () =>
        finish(undefined, {
          status,
          statusText,
          headers: res.headers,
          body: Buffer.concat(chunks, size),
        }),
      );
    });
    req.end(request.body);
  });
}

function closedEarly(): Error {
  return Object.assign(new Error('connection closed before the body was complete'), {
    code: 'ECONNRESET',
  });
}

/** The body stream, decompressed when the response says it is compressed. */
function decoder(res: IncomingMessage): Readable {
  const encoding = String(res.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const decompress =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (!decompress) return res;
  res.pipe(decompress);
  return decompress;
}

/**
 * `4 MiB`, `512 KiB`, `100 B`: limits as people read them.
 *
 * @example
 * ```ts
 * formatBytes(4 * 1024 * 1024); // '4 MiB'
 * ```
 */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} B`;
}
