import { displayUrl } from './display-url.js';

/** Which redirects `fetchJson` follows. */
export const RedirectMode = {
  /** Same scheme, host and port only: headers (API keys) stay with the configured origin. */
  SameOrigin: 'same-origin',
  /** None: for requests with side effects (the start POST). */
  None: 'none',
} as const;
export type RedirectMode = (typeof RedirectMode)[keyof typeof RedirectMode];

/** Redirects followed for one request, at most. */
export const MAX_REDIRECTS = 5;

/** A request as `fetchJson` sends it, one hop at a time. */
export interface HopRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
}

/** A redirect not followed: where it pointed (display form) and why. */
export interface RedirectRefusal {
  readonly location: string;
  readonly refused: string;
}

/**
 * Why the redirect from `from` to `location` must not be followed, or
 * `undefined` when it may be. `hop` counts the redirects followed so far.
 *
 * @example
 * ```ts
 * redirectRefusal('same-origin', new URL('https://a.example/x'), 'https://b.example/x', 0);
 * // { location: 'https://b.example/x', refused: 'it leads to another origin' }
 * ```
 */
export function redirectRefusal(
  mode: RedirectMode,
  from: URL,
  location: string,
  hop: number,
): RedirectRefusal | undefined {
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    return { location: '(invalid URL)', refused: 'its Location is not a URL' };
  }
  const shown = displayUrl(to.href);
  const refuse = (refused: string) => ({ location: shown, refused });
  if (mode === RedirectMode.None) return refuse('this request does not follow redirects');
  if (to.protocol !== 'http:' && to.protocol !== 'https:') return refuse('it is not http(s)');
  if (from.protocol === 'https:' && to.protocol === 'http:') return refuse('it leaves https');
  if (to.origin !== from.origin) return refuse('it leads to another origin');
  if (to.username !== '' || to.password !== '') return refuse('it carries user info');
  if (hop >= MAX_REDIRECTS) return refuse(`more than ${MAX_REDIRECTS} redirects`);
  return undefined;
}

/**
 * The request to send after a redirect that may be followed: 307 and 308 keep
 * method and body; 303, and 301/302 after a POST, become a GET without body,
 * as browsers and `fetch` do.
 */
export function redirectedRequest(
  request: HopRequest,
  status: number,
  location: string,
): HopRequest {
  const url = new URL(location, request.url);
  const keep = status === 307 || status === 308;
  const toGet = !keep && (status === 303 || request.method === 'POST');
  if (!toGet) return { ...request, url };
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== 'content-type'),
  );
  return { url, method: request.method === 'HEAD' ? 'HEAD' : 'GET', headers };
}
