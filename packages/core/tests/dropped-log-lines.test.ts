/**
 * A line the logger drops (a debug line at level INFO, most often) is never
 * redacted nor copied: its attributes are not even read. Kept lines are
 * formatted as before.
 */
import { describe, expect, it } from 'vitest';
import { scoped } from '../src/engine/scoped-logger.js';
import {
  createJsonLogger,
  type LogAttributes,
  type Logger,
  redactingLogger,
} from '../src/index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY==';

/** Attributes whose `detail` counts how often it is read. */
function counted(): { attributes: LogAttributes; reads: () => number } {
  let reads = 0;
  const attributes: LogAttributes = { jobId: 'job-1' };
  Object.defineProperty(attributes, 'detail', {
    enumerable: true,
    get() {
      reads += 1;
      return `key ${SECRET}`;
    },
  });
  return { attributes, reads: () => reads };
}

/** The chain the engine builds around a logger: redacting, then scoped twice. */
function engineChain(inner: Logger): Logger {
  const invocation = scoped(redactingLogger(inner, [SECRET]), { jobId: 'job-1' });
  return scoped(scoped(invocation, { runId: 'run-1' }), { step: 'poll', attempt: 1 });
}

describe('a dropped log line', () => {
  it('is never serialised by the JSON logger, alone or behind the redacting logger', () => {
    const lines: string[] = [];
    const json = createJsonLogger({ level: 'INFO', write: (line) => lines.push(line) });
    for (const logger of [json, redactingLogger(json, [SECRET]), engineChain(json)]) {
      const { attributes, reads } = counted();
      logger.debug('running step', attributes);
      expect(reads()).toBe(0);
    }
    expect(lines).toEqual([]);
  });

  it('is formatted as before when the level keeps it', () => {
    const lines: string[] = [];
    const json = createJsonLogger({
      level: 'DEBUG',
      write: (line) => lines.push(line),
      now: () => 0,
    });
    const { attributes, reads } = counted();
    engineChain(json).debug('running step', attributes);
    expect(reads()).toBe(1);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        level: 'DEBUG',
        message: 'running step',
        timestamp: '1970-01-01T00:00:00.000Z',
        jobId: 'job-1',
        runId: 'run-1',
        step: 'poll',
        attempt: 1,
        detail: 'key [REDACTED]',
      },
    ]);
  });

  it('reaches a logger without isLevelEnabled redacted, as before', () => {
    const seen: Array<[string, LogAttributes | undefined]> = [];
    const plain: Logger = {
      debug: (message, attrs) => seen.push([message, attrs]),
      info: () => {},
      warn: () => {},
      error: () => {},
    };
    const { attributes, reads } = counted();
    engineChain(plain).debug('running step', attributes);
    expect(reads()).toBe(1);
    expect(seen).toEqual([
      [
        'running step',
        { jobId: 'job-1', runId: 'run-1', step: 'poll', attempt: 1, detail: 'key [REDACTED]' },
      ],
    ]);
  });

  it('goes to the logger when its isLevelEnabled throws', () => {
    const seen: string[] = [];
    const broken: Logger = {
      debug: (message) => seen.push(message),
      info: () => {},
      warn: () => {},
      error: () => {},
      isLevelEnabled: () => {
        throw new Error('level unknown');
      },
    };
    expect(() => engineChain(broken).debug('running step')).not.toThrow();
    expect(seen).toEqual(['running step']);
  });
});

describe("the JSON logger's isLevelEnabled", () => {
  it('keeps its level and above, in its children too', () => {
    const logger = createJsonLogger({ level: 'WARN', write: () => {} });
    const child = logger.child({ service: 'deployer' });
    for (const l of [logger, child, redactingLogger(logger), engineChain(logger)]) {
      expect(
        (['debug', 'info', 'warn', 'error'] as const).map((level) => l.isLevelEnabled?.(level)),
      ).toEqual([false, false, true, true]);
    }
  });
});
