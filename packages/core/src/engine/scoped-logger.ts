import type { Logger } from '../logging/logger.js';

/**
 * A logger that adds `attributes` to every line.
 *
 * @example
 * ```ts
 * scoped(logger, { runId }).info('committed');
 * ```
 */
export function scoped(logger: Logger, attributes: Record<string, unknown>): Logger {
  const merge = (extra?: Record<string, unknown>) => ({ ...attributes, ...extra });
  return {
    debug: (m, a) => logger.debug(m, merge(a)),
    info: (m, a) => logger.info(m, merge(a)),
    warn: (m, a) => logger.warn(m, merge(a)),
    error: (m, a) => logger.error(m, merge(a)),
  };
}
