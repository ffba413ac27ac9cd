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
      "The fresh process times each AWS request with Node's HTTP client diagnostics channels, " +
      'subscribed before the import (the bundles are not changed; the status poll goes through `fetch`, ' +
      'which those channels do not see, so it counts in "between requests", or for the bare handler in ' +
      '"before the first request"). The import includes what ' +
      'the handler module does at load (Baton and the peers build their SDK clients there); "before the ' +
      'first request" is the event read and the first use of the SDK clients (credentials, endpoint, ' +
      'signing key); the first requests open their connections. Every piece is net of the garbage-collection ' +
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
        'AWS requests, in order',
        'Between requests',
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
          ms(p.betweenRequestsMs),
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
