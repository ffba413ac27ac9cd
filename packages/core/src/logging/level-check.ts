import type { Logger, LogMethod } from './logger.js';

/**
 * Whether `logger` keeps lines of a level, asked through its optional
 * `isLevelEnabled`. A logger without one, or whose check throws, cannot
 * tell: every line goes to it, and it decides.
 *
 * @example
 * ```ts
 * const keeps = levelCheck(logger);
 * if (keeps('debug')) logger.debug('claimed', expensiveAttributes());
 * ```
 */
export function levelCheck(logger: Logger): (level: LogMethod) => boolean {
  return (level) => {
    try {
      return logger.isLevelEnabled?.(level) ?? true;
    } catch {
      return true;
    }
  };
}
