import type { ColdStartBundle } from './cold-start.js';
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
      'signing key); the first requests open their connections.',
    '',
    table(
      [
        'Bundle',
        'Import',
        'Before the first request',
        'AWS requests, in order',
        'Between requests',
        'After the last request',
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
        ];
      }),
    ),
    '',
  );
}
