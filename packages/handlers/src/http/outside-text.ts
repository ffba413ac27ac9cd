import { displayUrl } from './display-url.js';

// C0 and C1 controls, DEL, and the Unicode bidirectional overrides and
// isolates: terminal escapes (`\x1b[2J`, `\x1b]0;…\x07`) and text that reads
// differently from what it holds.
const UNPRINTABLE = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
// Absolute URLs inside a text (error messages, bodies): up to whitespace or a quote.
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"'<>`]+/gi;

/**
 * Text that came from outside Baton (a response body, a status line, an error
 * message), made safe to store, report and print: URLs shown as
 * {@link displayUrl} shows them (no user info, no query string), control
 * characters removed, and cut to `maxLength` characters.
 *
 * @example
 * ```ts
 * printable('\x1b[2Jdown, see https://u:p@status.example.com/x?token=abc');
 * // '[2Jdown, see https://status.example.com/x'
 * ```
 */
export function printable(text: string, maxLength = 200): string {
  // Cut first (generously) so a 4 MB body costs nothing to clean.
  const head = text.length > maxLength * 4 ? text.slice(0, maxLength * 4) : text;
  const clean = scrubUrls(head).replace(UNPRINTABLE, '');
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}

/**
 * Replaces every absolute http(s) URL in `text` by its display form.
 *
 * @example
 * ```ts
 * scrubUrls('connect to https://user:pw@host/a?b=c failed'); // 'connect to https://host/a failed'
 * ```
 */
export function scrubUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => displayUrl(url));
}
