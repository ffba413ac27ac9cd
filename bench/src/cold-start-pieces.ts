import { median } from './stats.js';

/** One AWS request of a first invocation, ms from the end of the import. */
export interface TimedRequest {
  /** The operation (`UpdateItem`, `PutJobSuccessResult`, …), from the `x-amz-target` header. */
  operation: string;
  startMs: number;
  endMs: number;
}

/** Where a cold start's time went, medians over the runs of one bundle. */
export interface ColdStartPieces {
  importMs: number;
  /** From the end of the import to the first AWS request: event parsing, first use of the SDK clients. */
  beforeFirstRequestMs: number;
  /** Each AWS request of the first invocation, in order (the first ones open their connection). */
  requests: Array<{ operation: string; ms: number }>;
  /** Between the requests: the step (with its status poll, not an AWS request) and the engine's code. */
  betweenRequestsMs: number;
  /** From the end of the last request to the handler's return. */
  afterLastRequestMs: number;
}

/**
 * Subscribes to Node's HTTP client diagnostics channels before the bundle is
 * imported, so the fresh process times its AWS requests without touching the
 * bundle (the SDK's node-http-handler uses `node:http`; the status poll uses
 * `fetch`, which these channels do not see). Defines `globalThis.benchRequests`.
 */
export const REQUEST_TIMING_SCRIPT = `
const dc = await import('node:diagnostics_channel');
const open = new Map();
globalThis.benchRequests = [];
dc.subscribe('http.client.request.start', ({ request }) => {
  const target = String(request.getHeader('x-amz-target') ?? '');
  if (target) open.set(request, { operation: target.slice(target.indexOf('.') + 1), start: performance.now() });
});
dc.subscribe('http.client.response.finish', ({ request }) => {
  const seen = open.get(request);
  if (seen) globalThis.benchRequests.push({ operation: seen.operation, start: seen.start, end: performance.now() });
});
`;

/** The requests the timing script saw, relative to `since` (the end of the import). */
export const REQUESTS_SINCE_SCRIPT = (since: string) =>
  `globalThis.benchRequests.map((r) => ({ operation: r.operation, startMs: r.start - ${since}, endMs: r.end - ${since} }))`;

/** The medians of each piece over the runs of one bundle (runs whose requests differ in order are skipped). */
export function coldStartPieces(
  runs: ReadonlyArray<{ importMs: number; invokeMs: number; requests: readonly TimedRequest[] }>,
): ColdStartPieces | undefined {
  const first = runs[0];
  if (!first) return undefined;
  const shape = first.requests.map((r) => r.operation).join(',');
  const alike = runs.filter((run) => run.requests.map((r) => r.operation).join(',') === shape);
  const pieces = alike.map(({ importMs, invokeMs, requests }) => {
    const last = requests[requests.length - 1];
    const inRequests = requests.reduce((sum, r) => sum + (r.endMs - r.startMs), 0);
    const before = requests[0]?.startMs ?? invokeMs;
    const after = last ? invokeMs - last.endMs : 0;
    return {
      importMs,
      before,
      requests: requests.map((r) => r.endMs - r.startMs),
      between: requests.length === 0 ? 0 : invokeMs - before - after - inRequests,
      after,
    };
  });
  return {
    importMs: median(pieces.map((p) => p.importMs)),
    beforeFirstRequestMs: median(pieces.map((p) => p.before)),
    requests: first.requests.map((r, i) => ({
      operation: r.operation,
      ms: median(pieces.map((p) => p.requests[i] ?? 0)),
    })),
    betweenRequestsMs: median(pieces.map((p) => p.between)),
    afterLastRequestMs: median(pieces.map((p) => p.after)),
  };
}
