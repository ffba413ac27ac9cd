/** What Baton makes of thrown values that are not Errors. */
import { describe, expect, it } from 'vitest';
import { ThrownValueError } from '../src/index.js';
import { asError } from '../src/thrown-value.js';

describe('asError', () => {
  it('returns a real Error as it is', () => {
    const error = new RangeError('r');
    expect(asError(error)).toBe(error);
  });

  it("keeps a thrown object's name and message, and the object as cause", () => {
    const thrown = { name: 'Fatal', message: 'quota exceeded', code: 7 };
    const error = asError(thrown);
    expect(error).toBeInstanceOf(ThrownValueError);
    expect(error.name).toBe('Fatal');
    expect(error.message).toBe('quota exceeded');
    expect(error.cause).toBe(thrown);
  });

  it.each([
    [undefined, 'ThrownValue', /^undefined was thrown instead of an Error$/],
    [null, 'ThrownValue', /^null was thrown instead of an Error$/],
    ['boom', 'ThrownValue', /^boom$/],
    [42, 'ThrownValue', /^number 42 was thrown/],
    [{ code: 'E1' }, 'ThrownValue', /^a non-Error value was thrown: \{"code":"E1"\}$/],
    [{ name: 42, message: ['x'] }, 'ThrownValue', /a non-Error value was thrown/],
  ])('turns %j into an Error named %s', (thrown, name, message) => {
    const error = asError(thrown);
    expect(error.name).toBe(name);
    expect(error.message).toMatch(message);
  });

  it('describes objects with cycles and throwing getters without throwing', () => {
    const thrown: Record<string, unknown> = {};
    thrown.self = thrown;
    Object.defineProperty(thrown, 'message', {
      get() {
        throw new Error('no');
      },
    });
    const error = asError(thrown);
    expect(error.message).toContain('[Circular]');
  });
});
