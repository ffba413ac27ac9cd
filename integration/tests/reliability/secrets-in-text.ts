/**
 * Which of many secrets occur in a long text, in one pass over the text. A
 * long run's table holds hundreds of thousands of credential values and tens
 * of megabytes of items: one `includes` per secret would take hours.
 */

/** Length of the prefix the secrets are indexed by (no secret is shorter than it, or it is the secret). */
const PREFIX = 16;

/**
 * The secrets (non-empty strings) that occur anywhere in `text`.
 *
 * @example
 * ```ts
 * secretsIn('… "AKIA123…" …', ['AKIA123…', 'other']); // ['AKIA123…']
 * ```
 */
export function secretsIn(text: string, secrets: Iterable<string>): string[] {
  const byLength = new Map<number, Map<string, string[]>>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    const length = Math.min(PREFIX, secret.length);
    let index = byLength.get(length);
    if (!index) {
      index = new Map();
      byLength.set(length, index);
    }
    const prefix = secret.slice(0, length);
    index.set(prefix, [...(index.get(prefix) ?? []), secret]);
  }
  const found = new Set<string>();
  for (const [length, index] of byLength) {
    for (let at = 0; at + length <= text.length; at++) {
      const candidates = index.get(text.slice(at, at + length));
      if (!candidates) continue;
      for (const secret of candidates) if (text.startsWith(secret, at)) found.add(secret);
    }
  }
  return [...found];
}
