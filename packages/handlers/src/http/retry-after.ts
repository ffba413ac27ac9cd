/**
 * Seconds a `Retry-After` header asks to wait: delay-seconds (`120`) or an
 * HTTP date, counted from `now`. `undefined` when absent or unreadable; a
 * date in the past is 0.
 *
 * @example
 * ```ts
 * parseRetryAfter('120'); // 120
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:00Z')); // 60
 * ```
 */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text);
  // An HTTP date has a weekday, a day, a month and a time: at least 16 characters.
  if (text.length < 16 || text.length > 64) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
