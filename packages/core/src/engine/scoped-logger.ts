import { levelCheck } from '../logging/level-check.js';
import type { LogAttributes, Logger, LogMethod } from '../logging/logger.js';

/**
 * A logger that adds `attributes` to every line. A line `logger` drops
 * (its `isLevelEnabled`) is not merged either: its attributes are not read.
 *
 * @example
 * ```ts
 * scoped(logger, { runId }).info('committed');
 * ```
 */
export function scoped(logger: Logger, attributes: Record<string, unknown>): Logger {
  const isLevelEnabled = levelCheck(logger);
  const line =
    (level: LogMethod) =>
    (message: string, extra?: LogAttributes): void => {
      if (isLevelEnabled(level)) logger[level](message, { ...attributes, ...extra });
    };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    isLevelEnabled,
  };
}
