import { toLoggable } from './loggable.js';

/** Log levels, lowest first. */
export const LogLevel = {
  Debug: 'DEBUG',
  Info: 'INFO',
  Warn: 'WARN',
  Error: 'ERROR',
} as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** Structured attributes attached to a log line. */
export type LogAttributes = Record<string, unknown>;

/**
 * What Baton logs through. Powertools' `Logger` and pino fit as they are
 * (`info(message, attributes)`); pino needs a two-line adapter (see the README).
 */
export interface Logger {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
  /**
   * Whether a line at `level` would be kept. Baton asks before it redacts
   * and copies a line's attributes, and skips both for a line this says is
   * dropped (debug lines, most often); pino's `isLevelEnabled` fits as is.
   * @default absent: every line is redacted and handed to the logger, which decides
   */
  isLevelEnabled?(level: LogMethod): boolean;
}

/** The logging methods of a {@link Logger}, one per level. */
export type LogMethod = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };
const LEVEL_OF: Record<LogMethod, LogLevel> = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
};

/** Options of {@link createJsonLogger}. */
export interface JsonLoggerOptions {
  /**
   * Lowest level written.
   * @default `AWS_LAMBDA_LOG_LEVEL`, else 'INFO'
   */
  level?: LogLevel;
  /** Attributes on every line (e.g. `{ service: 'deployer' }`). @default {} */
  attributes?: LogAttributes;
  /** Where lines go. @default one JSON line to stdout */
  write?: (line: string) => void;
  /** Clock for the `timestamp` field. @default Date.now */
  now?: () => number;
}

/**
 * A logger writing one JSON object per line:
 * `{"level","message","timestamp",...attributes}`. Errors in attributes are
 * serialised with name, message, stack and cause. Logging never throws:
 * cycles, `BigInt`, throwing getters or `toJSON`, and huge values are written
 * as short descriptions (see `toLoggable`), and a `write` that throws is ignored.
 *
 * @example
 * ```ts
 * const logger = createJsonLogger({ attributes: { service: 'deployer' } });
 * logger.info('started', { jobId });
 * ```
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger & {
  child(attributes: LogAttributes): Logger;
  isLevelEnabled(level: LogMethod): boolean;
} {
  const level = options.level ?? levelFromEnv(process.env.AWS_LAMBDA_LOG_LEVEL) ?? 'INFO';
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const base = options.attributes ?? {};
  const emit = (lvl: LogLevel, message: string, attributes?: LogAttributes) => {
    if (ORDER[lvl] < ORDER[level]) return;
    try {
      const loggable = toLoggable(attributes) as LogAttributes | undefined;
      const record = {
        level: lvl,
        message: toLoggable(message),
        timestamp: timestamp(now),
        ...(toLoggable(base) as LogAttributes),
        ...(typeof loggable === 'object' && loggable !== null ? loggable : {}),
      };
      write(JSON.stringify(record));
    } catch {
      // Logging must never change what the job does; a sink that fails loses the line.
    }
  };
  return {
    debug: (m, a) => emit('DEBUG', m, a),
    info: (m, a) => emit('INFO', m, a),
    warn: (m, a) => emit('WARN', m, a),
    error: (m, a) => emit('ERROR', m, a),
    isLevelEnabled: (method) => ORDER[LEVEL_OF[method]] >= ORDER[level],
    child: (attributes) =>
      createJsonLogger({ ...options, level, attributes: { ...base, ...attributes } }),
  };
}

function levelFromEnv(value: string | undefined): LogLevel | undefined {
  const upper = value?.toUpperCase();
  return upper && upper in ORDER ? (upper as LogLevel) : undefined;
}

function timestamp(now: () => number): string {
  try {
    return new Date(now()).toISOString();
  } catch {
    return new Date().toISOString();
  }
}
