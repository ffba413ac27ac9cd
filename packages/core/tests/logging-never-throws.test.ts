/**
 * Logging can never throw, whatever a step puts in a log line or an error:
 * cycles, BigInt, throwing getters, `toJSON` that throws, huge values, and
 * loggers or sinks that throw themselves.
 */
import { describe, expect, it } from 'vitest';
import { createJsonLogger, type Logger, redactingLogger } from '../src/index.js';
import { safeStringify, toLoggable } from '../src/logging/loggable.js';

function nasty(): Record<string, unknown> {
  const loop: Record<string, unknown> = { name: 'loop' };
  loop.self = loop;
  const error = new Error('outer', { cause: loop });
  const selfCaused = new Error('self');
  selfCaused.cause = selfCaused;
  const getter = {};
  Object.defineProperty(getter, 'boom', {
    enumerable: true,
    get() {
      throw new Error('getter exploded');
    },
  });
  return {
    loop,
    error,
    selfCaused,
    big: 10n ** 30n,
    getter,
    badJson: {
      toJSON() {
        throw undefined;
      },
    },
    symbol: Symbol('s'),
    fn: function named() {},
    huge: 'x'.repeat(5_000_000),
    wide: Array.from({ length: 10_000 }, (_, i) => i),
    deep: JSON.parse(`${'{"a":'.repeat(500)}1${'}'.repeat(500)}`),
    nan: Number.NaN,
    bytes: Buffer.alloc(1_000_000),
    revoked: (() => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    })(),
  };
}

describe('the JSON logger', () => {
  it('writes one parseable, bounded line for every kind of nasty attribute', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line) });
    const attributes = nasty();
    expect(() => logger.error('a cause with a cycle', attributes)).not.toThrow();
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] as string);
    expect(line.loop.self).toBe('[Circular]');
    expect(line.error).toMatchObject({ name: 'Error', message: 'outer' });
    expect(line.error.cause.self).toBe('[Circular]');
    expect(line.selfCaused.cause).toBe('[Circular]');
    expect(line.big).toBe((10n ** 30n).toString());
    expect(line.getter.boom).toMatch(/getter threw: Error: getter exploded/);
    expect(line.badJson).toMatch(/toJSON threw: undefined/);
    expect(line.huge.length).toBeLessThan(10_000);
    expect(line.wide).toHaveLength(101);
    expect(line.nan).toBe('NaN');
    expect(line.bytes).toBe('[Buffer of 1000000 bytes]');
    expect(line.revoked).toMatch(/Unreadable/);
    expect(lines[0]?.length).toBeLessThan(100_000);
  });

  it('swallows a sink that throws', () => {
    const logger = createJsonLogger({
      write: () => {
        throw new Error('EPIPE');
      },
    });
    expect(() => logger.info('lost', { a: 1 })).not.toThrow();
  });

  it('survives a message that is not a string', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line) });
    logger.info({
      [Symbol.toPrimitive]: () => {
        throw new Error('no');
      },
    } as unknown as string);
    expect(lines).toHaveLength(1);
  });
});

describe('the redacting logger', () => {
  it('never throws, even when the logger it wraps does', () => {
    const throwing: Logger = {
      debug: () => {
        throw new Error('x');
      },
      info: () => {
        throw new Error('x');
      },
      warn: () => {
        throw new Error('x');
      },
      error: () => {
        throw new Error('x');
      },
    };
    const log = redactingLogger(throwing, ['a-secret-value-1234']);
    expect(() => log.error('boom', nasty())).not.toThrow();
  });

  it('hands the inner logger plain, serialisable data', () => {
    const seen: unknown[] = [];
    const inner: Logger = {
      debug: () => {},
      info: (_m, a) => seen.push(a),
      warn: () => {},
      error: () => {},
    };
    redactingLogger(inner).info('x', nasty());
    expect(() => JSON.stringify(seen[0])).not.toThrow();
  });
});

describe('toLoggable', () => {
  it('keeps ordinary data as it is', () => {
    const data = { a: 1, b: 'two', c: [true, null], d: { e: 'f' } };
    expect(toLoggable(data)).toEqual(data);
    expect(safeStringify(data)).toBe(JSON.stringify(data));
  });

  it('redacts a string before cutting it', () => {
    const secret = 'S3cr3tS3cr3tS3cr3t';
    const text = `${'x'.repeat(80)}${secret}${'y'.repeat(50)}`;
    const out = toLoggable(text, {
      redact: (t) => t.split(secret).join('[REDACTED]'),
      limits: { maxStringLength: 100 },
    }) as string;
    expect(out).toContain('[REDACTED]');
    expect(out).not.toContain('S3cr3');
  });
});
