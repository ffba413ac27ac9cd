/**
 * Removes secret values from text: whole, in their common encodings
 * (URL-encoded, JSON-escaped), and in pieces. Any run of text made of
 * {@link SECRET_PIECE_LENGTH}-character pieces of a secret is replaced, so a
 * secret cut short (by a step, or by any truncation) still never shows more
 * than a few characters.
 */

/** Shortest piece of a secret that is redacted wherever it appears. */
export const SECRET_PIECE_LENGTH = 10;
/** Secrets shorter than this are ignored: they would redact innocent text. */
export const MIN_SECRET_LENGTH = 8;

const REDACTED = '[REDACTED]';
const BASE = 31;
const FILTER_BITS = 1 << 20;
const FILTER_MASK = FILTER_BITS - 1;
const FILTER_BYTES = FILTER_BITS / 8;

/** A function that redacts one fixed set of secrets from any text. */
export type Redactor = (text: string) => string;

/**
 * Builds a redactor for `secrets`. Building costs a little (every piece of
 * every encoding is indexed); redacting is one pass over the text.
 *
 * @example
 * ```ts
 * const redact = createRedactor(['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);
 * redact('key=wJalrXUtnFEMI%2FK7MDENG'); // 'key=[REDACTED]'
 * ```
 */
export function createRedactor(secrets: readonly unknown[]): Redactor {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of encodings(secret)) forms.add(form);
  }
  if (forms.size === 0) return (text) => text;
  const pieces = new Set<string>();
  const short: string[] = [];
  for (const form of forms) {
    if (form.length < SECRET_PIECE_LENGTH) {
      short.push(form);
      continue;
    }
    for (let i = 0; i + SECRET_PIECE_LENGTH <= form.length; i++) {
      pieces.add(form.slice(i, i + SECRET_PIECE_LENGTH));
    }
  }
  // A bitmap of the pieces' hashes: most windows are ruled out by one array read.
  const hashes = new Uint8Array(FILTER_BYTES);
  for (const piece of pieces) {
    const hash = hashOf(piece) & FILTER_MASK;
    hashes[hash >>> 3] = (hashes[hash >>> 3] as number) | (1 << (hash & 7));
  }
  const highPower = power(BASE, SECRET_PIECE_LENGTH - 1);

  return (input) => {
    if (typeof input !== 'string') return input;
    let text = input;
    for (const form of short) if (text.includes(form)) text = text.split(form).join(REDACTED);
    if (pieces.size === 0 || text.length < SECRET_PIECE_LENGTH) return text;
    // Rolling hash over every window; a hash hit is confirmed by the set.
    let out = '';
    let copiedUpTo = 0;
    let runStart = -1;
    let runEnd = -1;
    let hash = hashOf(text.slice(0, SECRET_PIECE_LENGTH));
    for (let i = 0; i + SECRET_PIECE_LENGTH <= text.length; i++) {
      if (i > 0) {
        hash =
          (Math.imul(hash - Math.imul(text.charCodeAt(i - 1), highPower), BASE) +
            text.charCodeAt(i + SECRET_PIECE_LENGTH - 1)) >>>
          0;
      }
      const bit = hash & FILTER_MASK;
      if (((hashes[bit >>> 3] as number) & (1 << (bit & 7))) === 0) continue;
      if (!pieces.has(text.slice(i, i + SECRET_PIECE_LENGTH))) continue;
      if (i > runEnd) {
        // A new run of secret pieces: the previous one is written out redacted.
        if (runStart >= 0) {
          out += `${text.slice(copiedUpTo, runStart)}${REDACTED}`;
          copiedUpTo = runEnd;
        }
        runStart = i;
      }
      runEnd = i + SECRET_PIECE_LENGTH;
    }
    if (runStart < 0) return text;
    return `${out}${text.slice(copiedUpTo, runStart)}${REDACTED}${text.slice(runEnd)}`;
  };
}

/** The secret as it may appear in text: raw, URL-encoded (both hex cases), JSON-escaped. */
function encodings(secret: string): string[] {
  const url = encodeURIComponent(secret);
  const escaped = JSON.stringify(secret).slice(1, -1);
  return [
    secret,
    url,
    url.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    url.replace(/%20/g, '+'),
    escaped,
    JSON.stringify(escaped).slice(1, -1),
  ];
}

function hashOf(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) >>> 0;
  return hash;
}

function power(base: number, exponent: number): number {
  let result = 1;
  for (let i = 0; i < exponent; i++) result = Math.imul(result, base) >>> 0;
  return result;
}
