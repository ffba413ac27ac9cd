import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Environment variable that lets requests reach loopback and link-local addresses. */
export const ALLOW_LOOPBACK_ENV = 'BATON_HTTP_ALLOW_LOOPBACK';

/**
 * Address ranges a request may not reach unless allowed: the function's own
 * host (the Lambda Runtime API listens on 127.0.0.1:9001), link-local
 * services (the instance metadata endpoint 169.254.169.254) and the
 * unspecified address, which Linux connects to loopback. Private (VPC)
 * addresses stay reachable: polling an internal load balancer is normal.
 */
const REFUSED_RANGES: ReadonlySet<string> = new Set(['loopback', 'linkLocal', 'unspecified']);

/** A target refused by the address policy. */
export class RefusedTargetError extends Error {
  override readonly name = 'RefusedTargetError';
  /** Short description for summaries. */
  readonly detail: string;

  constructor(address: string, range: string) {
    const detail = `refused: ${address} is ${rangeName(range)} address (set ${ALLOW_LOOPBACK_ENV}=1 to allow)`;
    super(detail);
    this.detail = detail;
  }
}

/**
 * True when requests may reach loopback and link-local addresses: `allow`
 * when given, else `BATON_HTTP_ALLOW_LOOPBACK=1` in the environment.
 */
export function loopbackAllowed(allow?: boolean): boolean {
  return allow ?? process.env[ALLOW_LOOPBACK_ENV] === '1';
}

/**
 * The refused range `address` (an IP literal) is in, or `undefined` when it
 * may be reached. IPv4-mapped IPv6 addresses count as their IPv4 address.
 *
 * @example
 * ```ts
 * refusedRange('127.0.0.1'); // 'loopback'
 * refusedRange('10.0.0.5'); // undefined
 * ```
 */
export function refusedRange(address: string): string | undefined {
  const bare = address.startsWith('[') ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(bare)) return undefined;
  const range = ipaddr.process(bare).range();
  return REFUSED_RANGES.has(range) ? range : undefined;
}

/**
 * Throws {@link RefusedTargetError} when `hostname` is an IP literal in a
 * refused range. Names are checked after resolution, by {@link checkedLookup}.
 */
export function assertHostAllowed(hostname: string): void {
  const range = refusedRange(hostname);
  if (range !== undefined) throw new RefusedTargetError(hostname, range);
}

/**
 * A `lookup` for `http.request` that resolves like `dns.lookup` and refuses
 * the connection when any resolved address is in a refused range. Checking
 * the addresses the socket connects to, not a separate resolution, leaves no
 * gap for a name that changes its answer between check and connect.
 */
export const checkedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) {
      callback(err, '', 0);
      return;
    }
    for (const { address } of addresses) {
      const range = refusedRange(address);
      if (range !== undefined) {
        callback(new RefusedTargetError(`${hostname} (${address})`, range), '', 0);
        return;
      }
    }
    if (options.all) {
      (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return;
    }
    const first = addresses[0];
    if (!first) {
      callback(
        Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }),
        '',
        0,
      );
      return;
    }
    callback(null, first.address, first.family);
  });
};

/** `a loopback`, `a link-local`, `an unspecified`. */
function rangeName(range: string): string {
  if (range === 'linkLocal') return 'a link-local';
  return range === 'unspecified' ? 'an unspecified' : `a ${range}`;
}
