import { JobDefinitionError } from '../errors.js';

/**
 * Checks a numeric option at definition, so a job never starts with a value
 * the engine or DynamoDB cannot use (`NaN`, `Infinity`, out of range). The
 * message names the option, the range and the value.
 *
 * @example
 * ```ts
 * checkNumber('job deploy: deadlineSeconds', 90_000, { min: 1, max: 84_600 }); // throws
 * ```
 */
export function checkNumber(
  option: string,
  value: unknown,
  range: { min: number; max: number; integer?: boolean; why?: string },
): number {
  const kind = range.integer ? 'an integer' : 'a number';
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!range.integer || Number.isInteger(value)) &&
    value >= range.min &&
    value <= range.max;
  if (!ok) {
    throw new JobDefinitionError(
      `${option} must be ${kind} from ${range.min} to ${range.max}${range.why ? ` (${range.why})` : ''}, got ${show(value)}`,
    );
  }
  return value as number;
}

function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  return value === null ? 'null' : typeof value;
}
