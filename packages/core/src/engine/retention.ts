/** Default of `retentionDays`. */
export const DEFAULT_RETENTION_DAYS = 30;

/**
 * The TTL (epoch seconds) of an item written at `now`.
 *
 * @example
 * ```ts
 * expiresAtFrom(Date.now(), 30);
 * ```
 */
export function expiresAtFrom(now: number, retentionDays = DEFAULT_RETENTION_DAYS): number {
  return Math.floor(now / 1000) + retentionDays * 24 * 60 * 60;
}
