import { describe, expect, it } from 'vitest';
import {
  conditionSchema,
  describeCondition,
  evaluateCondition,
  previewJson,
  readJsonPath,
} from '../src/index.js';

describe('readJsonPath', () => {
  const document = {
    status: 'IN_PROGRESS',
    items: [{ state: 'READY' }, { state: null }],
    nested: { deep: { count: 0, flag: false } },
  };

  it.each([
    ['status', 'IN_PROGRESS'],
    ['items.0.state', 'READY'],
    ['items.1.state', null],
    ['nested.deep.count', 0],
    ['nested.deep.flag', false],
    ['items', document.items],
  ])('finds %s', (path, value) => {
    expect(readJsonPath(document, path)).toEqual({ found: true, value });
  });

  it.each([
    'missing',
    'status.length', // no property access on strings
    'items.2.state', // out of range
    'items.01.state', // not a canonical index
    'items.-1',
    'items.state', // not an index on an array
    'items.1.state.x', // through null
    'constructor', // never the prototype
    'nested.__proto__',
    'nested.deep.toString',
  ])('finds nothing at %s', (path) => {
    expect(readJsonPath(document, path)).toEqual({ found: false });
  });

  it('finds nothing in an absent document', () => {
    expect(readJsonPath(undefined, 'status')).toEqual({ found: false });
  });
});

describe('evaluateCondition', () => {
  it('matches equals on scalars', () => {
    expect(evaluateCondition({ path: 'status', equals: 'UP' }, { status: 'UP' })).toEqual({
      matched: true,
      found: true,
      value: 'UP',
    });
    expect(evaluateCondition({ path: 'status', equals: 'UP' }, { status: 'DOWN' })).toEqual({
      matched: false,
      found: true,
      value: 'DOWN',
    });
  });

  it('compares types strictly: 1 is not "1", 0 is not false', () => {
    expect(evaluateCondition({ path: 'n', equals: 1 }, { n: '1' }).matched).toBe(false);
    expect(evaluateCondition({ path: 'n', equals: false }, { n: 0 }).matched).toBe(false);
  });

  it('compares objects and arrays as JSON, ignoring key order', () => {
    const document = { v: { a: 1, b: [1, { c: 'x' }] } };
    expect(
      evaluateCondition({ path: 'v', equals: { b: [1, { c: 'x' }], a: 1 } }, document),
    ).toEqual(expect.objectContaining({ matched: true }));
    expect(
      evaluateCondition({ path: 'v', equals: { a: 1, b: [1, { c: 'y' }] } }, document),
    ).toEqual(expect.objectContaining({ matched: false }));
    expect(evaluateCondition({ path: 'v', equals: { a: 1 } }, document).matched).toBe(false);
    expect(evaluateCondition({ path: 'v.b', equals: [1] }, document).matched).toBe(false);
  });

  it('matches in against any listed value', () => {
    const condition = { path: 'status', in: ['FAILED', 'ROLLED_BACK'] };
    expect(evaluateCondition(condition, { status: 'ROLLED_BACK' }).matched).toBe(true);
    expect(evaluateCondition(condition, { status: 'SUCCEEDED' }).matched).toBe(false);
  });

  it('matches equals null only on a present null', () => {
    expect(evaluateCondition({ path: 'error', equals: null }, { error: null }).matched).toBe(true);
    expect(evaluateCondition({ path: 'error', equals: null }, {})).toEqual({
      matched: false,
      found: false,
    });
  });
});

describe('describeCondition and previewJson', () => {
  it('reads like the condition', () => {
    expect(describeCondition({ path: 'status', equals: 'SUCCEEDED' })).toBe('status = "SUCCEEDED"');
    expect(describeCondition({ path: 'status', in: ['FAILED', 'ROLLED_BACK'] })).toBe(
      'status in ["FAILED","ROLLED_BACK"]',
    );
  });

  it('cuts long values', () => {
    const text = previewJson('x'.repeat(500), 50);
    expect(text).toHaveLength(50);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('conditionSchema', () => {
  const schema = conditionSchema('successWhen');
  const issues = (value: unknown) => {
    const result = schema.safeParse(value);
    return result.success ? [] : result.error.issues.map((issue) => issue.message);
  };

  it('accepts equals (even null) and in', () => {
    expect(schema.parse({ path: 'status', equals: null })).toEqual({
      path: 'status',
      equals: null,
    });
    expect(schema.parse({ path: 'a.0', in: ['X', 1] })).toEqual({ path: 'a.0', in: ['X', 1] });
  });

  it.each([
    [{ path: 'status' }, 'successWhen needs exactly one of "equals" or "in"'],
    [
      { path: 'status', equals: 'A', in: ['B'] },
      'successWhen needs exactly one of "equals" or "in"',
    ],
    [{ path: 'a..b', equals: 1 }, 'successWhen.path must be a dotted path'],
    [{ path: '', equals: 1 }, 'successWhen.path must be a dotted path'],
    [{ equals: 1 }, 'successWhen.path must be a string'],
    [{ path: 'status', in: [] }, 'successWhen.in must list at least one value'],
    [{ path: 'status', in: 'FAILED' }, 'successWhen.in must be an array'],
    ['SUCCEEDED', 'successWhen must be an object'],
  ])('rejects %j naming the field', (value, message) => {
    expect(issues(value).join('; ')).toContain(message);
  });

  it('rejects unknown keys (a typo would otherwise be ignored)', () => {
    expect(issues({ path: 'status', equal: 'A' }).join('; ')).toMatch(/equal/);
  });
});
