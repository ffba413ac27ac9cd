import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonValue } from '@baton/core';

/** Statuses a deployment of the loopback deployment service goes through. */
export const DeploymentStatus = {
  InProgress: 'IN_PROGRESS',
  Succeeded: 'SUCCEEDED',
  Failed: 'FAILED',
  RolledBack: 'ROLLED_BACK',
} as const;
export type DeploymentStatus = (typeof DeploymentStatus)[keyof typeof DeploymentStatus];

/** Final statuses a deployment of the loopback deployment service can end in. */
export type DeploymentOutcome = Exclude<DeploymentStatus, 'IN_PROGRESS'>;

/** Options of {@link startDeploymentService}. */
export interface DeploymentServiceOptions {
  /**
   * Port to listen on; `0` picks a free one.
   * @default 0
   */
  port?: number;
  /**
   * Interface to listen on.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * Stages a deployment goes through before it ends: it reports `IN_PROGRESS`
   * until then, and `outcome` from that stage on. `0` ends at once.
   * @default 3
   */
  stepsToSucceed?: number;
  /**
   * How every deployment ends.
   * @default 'SUCCEEDED'
   */
  outcome?: DeploymentOutcome;
  /**
   * When set, a deployment advances one stage per `stageMs` milliseconds since
   * it was created (for demos with a real pipeline). When not set, it advances
   * one stage per status GET, which keeps tests free of timing.
   * @default undefined (one stage per GET)
   */
  stageMs?: number;
  /**
   * The first this-many POSTs answer 503 without creating anything, to
   * exercise a caller's retries.
   * @default 0
   */
  unavailableStarts?: number;
  /**
   * The answer to the first POST that creates a deployment is held back this
   * many milliseconds, or until the caller hangs up; the deployment exists
   * meanwhile. Lets a demo kill the caller while its start request is in
   * flight, so its retry finds the deployment through the Idempotency-Key.
   * @default 0 (answer at once)
   */
  holdFirstStartMs?: number;
  /** Called after each request the service handled, e.g. to narrate a demo. */
  onRequest?: (event: DeploymentServiceEvent) => void;
}

/** What {@link DeploymentServiceEvent} reports. */
export const DeploymentServiceEventKind = {
  /** A POST created a deployment (201). */
  Created: 'created',
  /** A POST repeated an Idempotency-Key and got the existing deployment (200). */
  Duplicate: 'duplicate',
  /** A POST was answered 503 (`unavailableStarts`). */
  Unavailable: 'unavailable',
  /** The answer of a created deployment is held back (`holdFirstStartMs`). */
  Holding: 'holding',
  /** The caller hung up before a held answer was sent. */
  CallerGone: 'caller-gone',
  /** A status GET was answered. */
  Status: 'status',
} as const;
export type DeploymentServiceEventKind =
  (typeof DeploymentServiceEventKind)[keyof typeof DeploymentServiceEventKind];

/** One request handled by the deployment service (see `onRequest`). */
export interface DeploymentServiceEvent {
  kind: DeploymentServiceEventKind;
  /** The deployment concerned (absent for `unavailable`). */
  deploymentId?: string;
  status?: DeploymentStatus;
  progress?: number;
  /** HTTP status sent (absent while holding and when the caller hung up). */
  httpStatus?: number;
}

/** A deployment as the service holds it. */
export interface Deployment {
  /** Deployment id (a UUID). */
  readonly id: string;
  /** Status the latest GET reported (or would report). */
  readonly status: DeploymentStatus;
  /** 0–100. */
  readonly progress: number;
  /** The `Idempotency-Key` header of the POST that created it, if any. */
  readonly idempotencyKey: string | undefined;
  /** The POST's JSON body. */
  readonly request: JsonValue;
  /** Status GETs answered so far. */
  readonly statusReads: number;
}

/** Counters of POST /deployments, live. */
export interface StartCounters {
  /** POSTs that created a deployment (201). */
  readonly created: number;
  /** POSTs that repeated an Idempotency-Key and got the existing deployment (200). */
  readonly duplicates: number;
  /** POSTs answered 503 because of `unavailableStarts`. */
  readonly unavailable: number;
}

/** A running loopback deployment service. */
export interface DeploymentService {
  /** Base URL (`http://127.0.0.1:PORT`): POST `${url}/deployments`, GET `${url}/deployments/{id}`. */
  readonly url: string;
  /** Live counters of start requests. */
  readonly starts: StartCounters;
  /** Snapshot of every deployment, in creation order. */
  deployments(): Deployment[];
  /** Closes the server and its open connections. */
  stop(): Promise<void>;
}

interface DeploymentRecord {
  id: string;
  idempotencyKey: string | undefined;
  requestText: string;
  request: JsonValue;
  statusReads: number;
  createdAt: number;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Starts a small deployment API on loopback, the counterpart of
 * `deploy-and-wait` in tests and demos:
 *
 * - `POST /deployments` (JSON body) creates a deployment and answers 201
 *   `{ id, status, progress }`. The `Idempotency-Key` header is honoured: the
 *   same key with the same body answers 200 with the same deployment (counted
 *   in `starts.duplicates`); the same key with another body answers 422.
 * - `GET /deployments/{id}` answers `{ id, status, progress }`, advancing one
 *   stage per GET (or per `stageMs`); 404 for an unknown id.
 *
 * @example
 * ```ts
 * const service = await startDeploymentService({ stepsToSucceed: 2 });
 * // deployUrl: `${service.url}/deployments`, statusUrl: `${service.url}/deployments/{id}`
 * await service.stop();
 * ```
 */
export async function startDeploymentService(
  options: DeploymentServiceOptions = {},
): Promise<DeploymentService> {
  const stepsToSucceed = options.stepsToSucceed ?? 3;
  const outcome = options.outcome ?? DeploymentStatus.Succeeded;
  if (!Number.isInteger(stepsToSucceed) || stepsToSucceed < 0) {
    throw new RangeError('stepsToSucceed must be an integer ≥ 0');
  }
  const records = new Map<string, DeploymentRecord>();
  const byKey = new Map<string, DeploymentRecord>();
  const starts = { created: 0, duplicates: 0, unavailable: 0 };
  let unavailableLeft = options.unavailableStarts ?? 0;
  let holdLeft = (options.holdFirstStartMs ?? 0) > 0;
  const notify = (event: DeploymentServiceEvent): void => {
    try {
      options.onRequest?.(event);
    } catch {
      // A failing observer must not break the service.
    }
  };

  const stageOf = (record: DeploymentRecord): number =>
    options.stageMs === undefined
      ? record.statusReads
      : Math.floor((Date.now() - record.createdAt) / options.stageMs);
  const view = (record: DeploymentRecord) => {
    const stage = stageOf(record);
    const done = stage >= stepsToSucceed;
    return {
      id: record.id,
      status: done ? outcome : DeploymentStatus.InProgress,
      progress: done ? 100 : Math.floor((stage / stepsToSucceed) * 100),
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://service').pathname;
    if (path === '/deployments') {
      if (req.method !== 'POST') return send(res, 405, { error: 'use POST' });
      if (unavailableLeft > 0) {
        unavailableLeft -= 1;
        starts.unavailable += 1;
        notify({ kind: DeploymentServiceEventKind.Unavailable, httpStatus: 503 });
        return send(res, 503, { error: 'temporarily unavailable' });
      }
      const text = await readBody(req);
      if (text === undefined) return send(res, 413, { error: 'body too large' });
      let request: JsonValue;
      try {
        request = text.trim() === '' ? {} : (JSON.parse(text) as JsonValue);
      } catch {
        return send(res, 400, { error: 'body must be JSON' });
      }
      const key = headerValue(req, 'idempotency-key');
      const existing = key === undefined ? undefined : byKey.get(key);
      if (existing) {
        if (existing.requestText !== text) {
          return send(res, 422, { error: 'Idempotency-Key was used with a different body' });
        }
        starts.duplicates += 1;
        const shown = view(existing);
        notify({ kind: DeploymentServiceEventKind.Duplicate, ...about(shown), httpStatus: 200 });
        return send(res, 200, shown);
      }
      const record: DeploymentRecord = {
        id: randomUUID(),
        idempotencyKey: key,
        requestText: text,
        request,
        statusReads: 0,
        createdAt: Date.now(),
      };
      records.set(record.id, record);
      if (key !== undefined) byKey.set(key, record);
      starts.created += 1;
      if (holdLeft) {
        holdLeft = false;
        notify({ kind: DeploymentServiceEventKind.Holding, ...about(view(record)) });
        if (!(await holdAnswer(res, options.holdFirstStartMs ?? 0))) {
          notify({ kind: DeploymentServiceEventKind.CallerGone, ...about(view(record)) });
          return;
        }
      }
      const shown = view(record);
      notify({ kind: DeploymentServiceEventKind.Created, ...about(shown), httpStatus: 201 });
      res.setHeader('location', `/deployments/${record.id}`);
      return send(res, 201, shown);
    }
    const match = /^\/deployments\/([^/]+)$/.exec(path);
    if (match?.[1] !== undefined) {
      if (req.method !== 'GET') return send(res, 405, { error: 'use GET' });
      const record = records.get(safeDecode(match[1]));
      if (!record) return send(res, 404, { error: 'no such deployment' });
      record.statusReads += 1;
      const shown = view(record);
      notify({ kind: DeploymentServiceEventKind.Status, ...about(shown), httpStatus: 200 });
      return send(res, 200, shown);
    }
    return send(res, 404, { error: 'not found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error: String(err) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    starts,
    deployments: () =>
      [...records.values()].map((record) => ({
        ...view(record),
        idempotencyKey: record.idempotencyKey,
        request: structuredClone(record.request),
        statusReads: record.statusReads,
      })),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // fetch keeps connections alive; without this close() waits for them.
        server.closeAllConnections();
      }),
  };
}

function about(view: { id: string; status: DeploymentStatus; progress: number }) {
  return { deploymentId: view.id, status: view.status, progress: view.progress };
}

/**
 * Waits `ms` before a response is sent, or until the caller hangs up.
 * @returns whether the caller is still there
 */
function holdAnswer(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    res.once('close', onClose);
  });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes name no deployment: a 404, not a 500
  }
}

function send(res: ServerResponse, status: number, body: JsonValue): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body as text, or `undefined` when it exceeds {@link MAX_BODY_BYTES}. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
