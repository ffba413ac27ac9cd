import { ThrownValueError } from './errors.js';
import { describeThrown, safeStringify } from './logging/loggable.js';

/** Name of a {@link ThrownValueError} whose value had no usable `name`. */
export const THROWN_VALUE_NAME = 'ThrownValue';
/** Longest `name` kept from a thrown object (names are compared, not read). */
const MAX_NAME_LENGTH = 200;

/**
 * The `Error` for anything thrown. An `Error` whose `name` and `message` can
 * be read is returned as it is; anything else becomes a
 * {@link ThrownValueError} with a string name and message and the value as
 * `cause`. Never throws.
 *
 * @example
 * ```ts
 * asError(undefined).message; // 'undefined was thrown instead of an Error'
 * asError({ name: 'Fatal', message: 'no quota' }).name; // 'Fatal'
 * ```
 */
export function asError(thrown: unknown): Error {
  if (thrown instanceof Error && readableError(thrown)) return thrown;
  try {
    return new ThrownValueError(nameOf(thrown), messageOf(thrown), { cause: thrown });
  } catch {
    return new ThrownValueError(THROWN_VALUE_NAME, 'an unreadable value was thrown');
  }
}

function readableError(error: Error): boolean {
  try {
    return typeof error.name === 'string' && typeof error.message === 'string';
  } catch {
    return false;
  }
}

function nameOf(thrown: unknown): string {
  const name = field(thrown, 'name');
  return typeof name === 'string' && name.length > 0 && name.length <= MAX_NAME_LENGTH
    ? name
    : THROWN_VALUE_NAME;
}

function messageOf(thrown: unknown): string {
  if (thrown === undefined || thrown === null) {
    return `${String(thrown)} was thrown instead of an Error`;
  }
  if (typeof thrown === 'string') return thrown.length > 0 ? thrown : 'an empty string was thrown';
  if (typeof thrown !== 'object' && typeof thrown !== 'function') {
    return `${typeof thrown} ${describeThrown(thrown)} was thrown instead of an Error`;
  }
  const message = field(thrown, 'message');
  if (typeof message === 'string' && message.length > 0) return message;
  return `a non-Error value was thrown: ${safeStringify(thrown)}`;
}

function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
