import type { ObservedError } from '../observe/run-observer.js';
import { errorText } from './redaction.js';

/**
 * An error as observers get it: its name, and its message redacted as the
 * logs have it (`errorText`), never the error object (whose stack and fields
 * could carry secrets).
 *
 * @example
 * ```ts
 * observedError(new TypeError('bad'), secrets); // { name: 'TypeError', message: 'bad' }
 * ```
 */
export function observedError(err: unknown, secrets: readonly string[]): ObservedError {
  const name = err instanceof Error ? err.name : 'Error';
  const text = errorText(err, secrets);
  return { name, message: text.startsWith(`${name}: `) ? text.slice(name.length + 2) : text };
}
