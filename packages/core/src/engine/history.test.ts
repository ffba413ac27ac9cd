import { describe, expect, it } from 'vitest';
import { InvocationHistory, MAX_DETAIL_LENGTH } from './history.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const cursor = { step: 'poll', attempt: 2, visit: 1 };

describe('InvocationHistory', () => {
  it('keeps each entry in order with its step, attempt and time', () => {
    const history = new InvocationHistory();
    history.record(cursor, { outcome: 'goTo', detail: 'finish' }, 5);
    history.record({ ...cursor, step: 'finish', attempt: 1 }, { outcome: 'succeed' }, 7);
    expect(history.redacted([])).toEqual([
      { at: 5, step: 'poll', attempt: 2, outcome: 'goTo', detail: 'finish' },
      { at: 7, step: 'finish', attempt: 1, outcome: 'succeed' },
    ]);
  });

  it(`cuts a detail of user text (a long error message, key or type) to ${MAX_DETAIL_LENGTH} characters`, () => {
    const history = new InvocationHistory();
    history.record(cursor, { outcome: 'error', detail: `Error: ${'x'.repeat(100_000)}` }, 1);
    const [entry] = history.redacted([]);
    expect(entry?.detail?.length).toBeLessThanOrEqual(MAX_DETAIL_LENGTH);
    expect(entry?.detail?.startsWith('Error: xxx')).toBe(true);
  });

  it('redacts before it cuts, so a secret across the cut leaves no piece behind', () => {
    const history = new InvocationHistory();
    const detail = `${'y'.repeat(MAX_DETAIL_LENGTH - 15)}${SECRET}`;
    history.record(cursor, { outcome: 'error', detail }, 1);
    const [entry] = history.redacted([SECRET]);
    const text = entry?.detail ?? '';
    expect(text.length).toBeLessThanOrEqual(MAX_DETAIL_LENGTH);
    for (let i = 0; i + 10 <= SECRET.length; i++)
      expect(text).not.toContain(SECRET.slice(i, i + 10));
  });
});
