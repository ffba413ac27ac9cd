/**
 * Secrets are redacted whole, in their common encodings and in pieces, so no
 * 10-character piece of a credential survives, whatever cut it afterwards.
 */
import { describe, expect, it } from 'vitest';
import { createJsonLogger, redactingLogger } from '../src/index.js';
import { redactText } from '../src/logging/redacting-logger.js';
import { createRedactor, SECRET_PIECE_LENGTH } from '../src/logging/secret-redactor.js';
import { fitText } from '../src/pipeline/limits.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY==';
const TOKEN = `IQoJb3JpZ2luX2VjE${'AbC/dEf+GhI='.repeat(40)}`;

/** Every piece of `secret` of the given length that occurs in `text`. */
function piecesIn(text: string, secret: string, length = SECRET_PIECE_LENGTH): string[] {
  const found: string[] = [];
  for (let i = 0; i + length <= secret.length; i++) {
    const piece = secret.slice(i, i + length);
    if (text.includes(piece)) found.push(piece);
  }
  return found;
}

describe('redaction', () => {
  it.each([
    ['whole', SECRET],
    ['URL-encoded', encodeURIComponent(SECRET)],
    [
      'URL-encoded, lower-case hex',
      encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    ],
    ['JSON-escaped twice', JSON.stringify(JSON.stringify(SECRET))],
    ['cut short by the step', SECRET.slice(0, 20)],
    ['a piece from the middle', SECRET.slice(11, 23)],
  ])('removes the secret %s', (_, form) => {
    const text = `before ${form} after`;
    const out = redactText(text, [SECRET]);
    expect(out).toContain('[REDACTED]');
    expect(out.startsWith('before ')).toBe(true);
    expect(out.endsWith(' after')).toBe(true);
    expect(piecesIn(out, SECRET)).toEqual([]);
    expect(piecesIn(out, encodeURIComponent(SECRET))).toEqual([]);
  });

  it('leaves text without secrets unchanged, and ignores short values', () => {
    const text = 'nothing to see here, just a long message about a deployment';
    expect(redactText(text, [SECRET, TOKEN])).toBe(text);
    expect(redactText('id=local', ['local'])).toBe('id=local');
  });

  it('replaces several secrets and runs of pieces, keeping the text between them', () => {
    const out = createRedactor([SECRET, TOKEN])(`a ${SECRET} b ${TOKEN.slice(50, 400)} c`);
    expect(out).toBe('a [REDACTED] b [REDACTED] c');
  });

  it('redacts before cutting: a secret at the cut leaves at most 9 characters', () => {
    const text = `${'x'.repeat(180)}${TOKEN}`;
    const out = fitText(redactText(text, [TOKEN]), 200) as string;
    expect(piecesIn(out, TOKEN)).toEqual([]);
    // Even cut first, the piece left is long enough to be found.
    const cutFirst = redactText(fitText(text, 200) as string, [TOKEN]);
    expect(piecesIn(cutFirst, TOKEN)).toEqual([]);
  });

  it('redacts values inside thrown non-Errors logged as attributes', () => {
    const lines: string[] = [];
    const log = redactingLogger(createJsonLogger({ write: (l) => lines.push(l) }), [SECRET]);
    log.error('step failed', {
      thrown: {
        name: 'Fatal',
        detail: { auth: `Bearer ${SECRET}` },
        url: `?k=${encodeURIComponent(SECRET)}`,
      },
    });
    expect(piecesIn(lines.join('\n'), SECRET)).toEqual([]);
  });

  it('stays fast on a large text', () => {
    const text = 'y'.repeat(400_000);
    const redact = createRedactor([SECRET, TOKEN]);
    expect(redact(text)).toBe(text);
  });
});

describe('fitText', () => {
  it('never cuts a surrogate pair in half', () => {
    const text = `${'a'.repeat(8)}😀😀😀`;
    for (let max = 2; max <= text.length; max++) {
      const out = fitText(text, max) as string;
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
      expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out);
    }
  });
});
