import { describe, expect, it } from 'vitest';
import { secretsIn } from './secrets-in-text.js';

describe('secretsIn', () => {
  const long = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const short = 'AKIA0001';

  it('finds each secret that occurs, wherever it is, and only those', () => {
    const text = `{"a":"x${long}y","b":"${short}","c":"wJalrXUtnFEMI/K7-not-it"}`;
    expect(secretsIn(text, [long, short, 'absent-secret-value-0000']).sort()).toEqual(
      [long, short].sort(),
    );
  });

  it('tells apart secrets that share their indexed prefix', () => {
    const twin = `${long.slice(0, 20)}DIFFERENT`;
    expect(secretsIn(`..${twin}..`, [long, twin])).toEqual([twin]);
  });

  it('finds a secret at the very start and the very end of the text', () => {
    expect(secretsIn(long, [long])).toEqual([long]);
    expect(secretsIn(`${short}|${long}`, [long, short]).sort()).toEqual([long, short].sort());
  });

  it('finds nothing in a text without secrets, and ignores an empty one', () => {
    expect(secretsIn('[REDACTED] and nothing else', [long, short, ''])).toEqual([]);
  });
});
