import { median } from './stats.js';

/** One request of a first invocation, ms from the end of the import. */
export interface TimedRequest {
  /**
   * The AWS operation (`UpdateItem`, …, from the `x-amz-target` header); for
   * the status poll, `fetch`, or `http` when it goes through `node:http`.
   */
  operation: string;
  startMs: number;
  endMs: number;
}

/** One garbage-collection pause of the fresh process, ms from the end of the import (negative: during it). */
export interface GcPause {
  startMs: number;
  ms: number;
}

/** What the fresh process measured in one run. */
export interface TimedRun {
  importMs: number;
  invokeMs: number;
  requests: readonly TimedRequest[];
  gcPauses: readonly GcPause[];
}

/** Count and total length of the GC pauses in one phase. */
export interface GcShare {
  count: number;
  ms: number;
}

/** Where a cold start's time went, medians over the runs of one bundle; every piece net of GC pauses. */
export interface ColdStartPieces {
  importMs: number;
  /** From the end of the import to the first AWS request: event parsing, first use of the SDK clients. */
  beforeFirstRequestMs: number;
  /**
   * Each request of the first invocation, in order: the AWS requests and the
   * status poll (`fetch` or `http`). The first to each endpoint opens its connection.
   */
  requests: Array<{ operation: string; ms: number }>;
  /** Between the requests: the step's and the framework's code (the poll's first `fetch` loads its client). */
  betweenRequestsMs: number;
  /** The same, gap by gap: `gapsMs[i]` lies between `requests[i]` and `requests[i + 1]`. */
  gapsMs: number[];
  /** From the end of the last request to the handler's return. */
  afterLastRequestMs: number;
  /** The GC pauses taken out of the pieces above, during the import and during the first invocation. */
  gc: { import: GcShare; invocation: GcShare };
}

/**
 * Subscribes to Node's HTTP client diagnostics channels before the bundle is
 * imported, so the fresh process times its requests without touching the
 * bundle: the SDK's node-http-handler uses `node:http` (`http.client.*`), as
 * does wait-for-http's poll; the polling action's poll uses `fetch`
 * (`undici:request:*`, from the request's creation to its response's
 * headers). Observes V8's garbage-collection pauses too: a pause stops the
 * process wherever it falls, inside a request's time as well. Defines `globalThis.benchRequests`, `benchGc` and `benchGcEntries`.
 */
export const REQUEST_TIMING_SCRIPT = `
const dc = await import('node:diagnostics_channel');
const { PerformanceObserver } = await import('node:perf_hooks');
const open = new Map();
globalThis.benchRequests = [];
globalThis.benchGcEntries = [];
globalThis.benchGc = new PerformanceObserver((list) => globalThis.benchGcEntries.push(...list.getEntries()));
globalThis.benchGc.observe({ entryTypes: ['gc'] });
dc.subscribe('http.client.request.start', ({ request }) => {
  const target = String(request.getHeader('x-amz-target') ?? '');
  open.set(request, { operation: target ? target.slice(target.indexOf('.') + 1) : 'http', start: performance.now() });
});
const finished = ({ request }) => {
  const seen = open.get(request);
  if (seen) globalThis.benchRequests.push({ operation: seen.operation, start: seen.start, end: performance.now() });
};
dc.subscribe('http.client.response.finish', finished);
dc.subscribe('undici:request:create', ({ request }) => {
  open.set(request, { operation: 'fetch', start: performance.now() });
});
dc.subscribe('undici:request:headers', finished);
`;

/** The requests the timing script saw, relative to `since` (the end of the import). */
export const REQUESTS_SINCE_SCRIPT = (since: string) =>
  `globalThis.benchRequests.map((r) => ({ operation: r.operation, startMs: r.start - ${since}, endMs: r.end - ${since} }))`;

/**
 * The GC pauses the timing script saw, relative to `since`. Node queues a
 * pause's entry after the pause (in an immediate): await one before this.
 */
export const GC_PAUSES_SINCE_SCRIPT = (since: string) =>
  `[...globalThis.benchGcEntries, ...globalThis.benchGc.takeRecords()].map((e) => ({ startMs: e.startTime - ${since}, ms: e.duration }))`;

/** The medians of each piece over the runs of one bundle (runs whose requests differ in order are skipped). */
export function coldStartPieces(runs: readonly TimedRun[]): ColdStartPieces | undefined {
  const first = runs[0];
  if (!first) return undefined;
  const shape = first.requests.map((r) => r.operation).join(',');
  const alike = runs.filter((run) => run.requests.map((r) => r.operation).join(',') === shape);
  const pieces = alike.map(({ importMs, invokeMs, requests, gcPauses }) => {
    const gcIn = (from: number, to: number) => gcWithin(gcPauses, from, to);
    const last = requests[requests.length - 1];
    const firstStart = requests[0]?.startMs ?? invokeMs;
    const lastEnd = last ? last.endMs : invokeMs;
    const net = requests.map((r) => r.endMs - r.startMs - gcIn(r.startMs, r.endMs));
    const before = firstStart - gcIn(0, firstStart);
    const after = invokeMs - lastEnd - gcIn(lastEnd, invokeMs);
    const gaps = requests.slice(1).map((r, i) => {
      const previousEnd = (requests[i] as TimedRequest).endMs;
      return r.startMs - previousEnd - gcIn(previousEnd, r.startMs);
    });
    return {
      gaps,
      importMs: importMs - gcIn(-importMs, 0),
      before,
      requests: net,
      between: gaps.reduce((a, b) => a + b, 0),
      after,
      importGc: share(gcPauses, -importMs, 0),
      invocationGc: share(gcPauses, 0, invokeMs),
    };
  });
  const medianShare = (shares: GcShare[]): GcShare => ({
    count: median(shares.map((s) => s.count)),
    ms: median(shares.map((s) => s.ms)),
  });
  return {
    importMs: median(pieces.map((p) => p.importMs)),
    beforeFirstRequestMs: median(pieces.map((p) => p.before)),
    requests: first.requests.map((r, i) => ({
      operation: r.operation,
      ms: median(pieces.map((p) => p.requests[i] ?? 0)),
    })),
    betweenRequestsMs: median(pieces.map((p) => p.between)),
    gapsMs: first.requests.slice(1).map((_, i) => median(pieces.map((p) => p.gaps[i] ?? 0))),
    afterLastRequestMs: median(pieces.map((p) => p.after)),
    gc: {
      import: medianShare(pieces.map((p) => p.importGc)),
      invocation: medianShare(pieces.map((p) => p.invocationGc)),
    },
  };
}

/** How much of `from`–`to` the pauses cover. */
function gcWithin(pauses: readonly GcPause[], from: number, to: number): number {
  return pauses.reduce(
    (total, p) => total + Math.max(0, Math.min(to, p.startMs + p.ms) - Math.max(from, p.startMs)),
    0,
  );
}

/** The pauses of one phase, counted where they overlap it. */
function share(pauses: readonly GcPause[], from: number, to: number): GcShare {
  const inside = pauses.filter((p) => p.startMs < to && p.startMs + p.ms > from);
  return { count: inside.length, ms: gcWithin(inside, from, to) };
}
