import type { ColdStartBundle } from './cold-start.js';
import type { GcShare } from './cold-start-pieces.js';
import { table } from './report.js';
import { ms } from './stats.js';

/** The cold start piece by piece: a table under section 3's. */
export function renderColdStartPieces(out: string[], bundles: readonly ColdStartBundle[]): void {
  const timed = bundles.filter((b) => b.pieces !== undefined);
  if (timed.length === 0) return;
  out.push(
    'The same runs piece by piece (medians per piece, so they need not add up to the medians above). ' +
      "The fresh process times each request with Node's HTTP client diagnostics channels, subscribed before " +
      'the import (the bundles are not changed): the AWS requests through `http.client.*`, the status poll ' +
      "through `fetch`'s `undici:request:*` (from the request's creation to its response's headers; loading " +
      '`fetch` before its first request counts in the gap before it), or as `http` when it goes through ' +
      '`node:http` (wait-for-http). The import includes what ' +
      'the handler module does at load (Baton and the peers build their SDK clients there); "before the ' +
      'first request" is the event read and the first use of the SDK clients (credentials, endpoint, ' +
      'signing key); the first requests open their connections; "between requests" is the code that runs ' +
      'between them, with each gap in order. Every piece is net of the garbage-collection ' +
      "pauses inside it (V8's `gc` performance entries, observed in the same process), shown on their own in " +
      'the last column as count and total for the import and for the first invocation: a minor GC (scavenge) of ' +
      'a few milliseconds stops the process wherever its young generation fills up, so a request timed across ' +
      'one would look that much slower for a cost that belongs to all the allocation before it.',
    '',
    table(
      [
        'Bundle',
        'Import',
        'Before the first request',
        'Requests, in order',
        'Between requests (each gap)',
        'After the last request',
        'GC pauses: import; first invocation',
      ],
      timed.map((b) => {
        const p = b.pieces as NonNullable<ColdStartBundle['pieces']>;
        return [
          b.name,
          ms(p.importMs),
          ms(p.beforeFirstRequestMs),
          p.requests.map((r) => `${r.operation} ${ms(r.ms)}`).join(', ') || '—',
          p.gapsMs.length > 1
            ? `${ms(p.betweenRequestsMs)} (${p.gapsMs.map(ms).join(' + ')})`
            : ms(p.betweenRequestsMs),
          ms(p.afterLastRequestMs),
          `${gcShare(p.gc.import)}; ${gcShare(p.gc.invocation)}`,
        ];
      }),
    ),
    '',
  );
}

/** `3 · 17.20 ms`; `none`. */
function gcShare(share: GcShare): string {
  return share.count === 0 ? 'none' : `${share.count} · ${ms(share.ms)}`;
}
