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
/** Filter bits per indexed window: about one window in 64 passes the filter by chance. */
const BITS_PER_WINDOW = 64;
const MIN_FILTER_BITS = 1 << 15;
const MAX_FILTER_BITS = 1 << 20;

/** A function that redacts one fixed set of secrets from any text. */
export type Redactor = (text: string) => string;

/**
 * Builds a redactor for `secrets`. Building is one pass over every encoding
 * of every secret (it runs once per event, so it allocates no string per
 * piece); redacting is one pass over the text.
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
  const short: string[] = [];
  const long: string[] = [];
  let windows = 0;
  for (const form of forms) {
    if (form.length < SECRET_PIECE_LENGTH) short.push(form);
    else {
      long.push(form);
      windows += form.length - SECRET_PIECE_LENGTH + 1;
    }
  }
  // A bitmap of the pieces' hashes: most windows of a text are ruled out by one array read.
  let bits = MIN_FILTER_BITS;
  while (bits < windows * BITS_PER_WINDOW && bits < MAX_FILTER_BITS) bits *= 2;
  const mask = bits - 1;
  const filter = new Uint8Array(bits / 8);
  const highPower = power(BASE, SECRET_PIECE_LENGTH - 1);
  for (const form of long) {
    let hash = 0;
    for (let i = 0; i + SECRET_PIECE_LENGTH <= form.length; i++) {
      hash = i === 0 ? firstHash(form) : rolled(hash, form, i, highPower);
      const bit = hash & mask;
      filter[bit >>> 3] = (filter[bit >>> 3] as number) | (1 << (bit & 7));
    }
  }
  // A window is a piece of a secret when it occurs in one of its encodings.
  const isPiece = (window: string) => long.some((form) => form.includes(window));

  return (input) => {
    if (typeof input !== 'string') return input;
    let text = input;
    for (const form of short) if (text.includes(form)) text = text.split(form).join(REDACTED);
    if (long.length === 0 || text.length < SECRET_PIECE_LENGTH) return text;
    // Rolling hash over every window; a hash hit is confirmed against the encodings.
    let out = '';
    let copiedUpTo = 0;
    let runStart = -1;
    let runEnd = -1;
    let hash = 0;
    for (let i = 0; i + SECRET_PIECE_LENGTH <= text.length; i++) {
      hash = i === 0 ? firstHash(text) : rolled(hash, text, i, highPower);
      const bit = hash & mask;
      if (((filter[bit >>> 3] as number) & (1 << (bit & 7))) === 0) continue;
      if (!isPiece(text.slice(i, i + SECRET_PIECE_LENGTH))) continue;
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

/** The hash of the first {@link SECRET_PIECE_LENGTH} characters of `text`. */
function firstHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < SECRET_PIECE_LENGTH; i++) {
    hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) >>> 0;
  }
  return hash;
}

/** The hash of the window starting at `i`, from the hash of the one at `i - 1`. */
function rolled(hash: number, text: string, i: number, highPower: number): number {
  return (
    (Math.imul(hash - Math.imul(text.charCodeAt(i - 1), highPower), BASE) +
      text.charCodeAt(i + SECRET_PIECE_LENGTH - 1)) >>>
    0
  );
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

function power(base: number, exponent: number): number {
  let result = 1;
  for (let i = 0; i < exponent; i++) result = Math.imul(result, base) >>> 0;
  return result;
}
