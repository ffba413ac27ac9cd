import type { JsonValue } from '@baton/core';

/** Longest deployment id accepted: it becomes an output variable and part of a URL. */
export const MAX_DEPLOYMENT_ID_LENGTH = 128;

// Letters, digits and the punctuation ids use (`d-42`, `arn:aws:…/x`,
// `2024.06.01_3`); nothing that changes a URL path or a terminal.
const DEPLOYMENT_ID = /^[A-Za-z0-9._~:@+=,/-]+$/;

/** A deployment id read from a start response, or why it cannot be used. */
export type DeploymentIdResult =
  | { readonly ok: true; readonly id: string }
  | { readonly ok: false; readonly problem: string };

/**
 * Checks the value found at `idPath`: a non-empty string of at most
 * {@link MAX_DEPLOYMENT_ID_LENGTH} letters, digits and `._~:@+=,/-`, or a
 * non-negative integer. Integers beyond 2^53 must arrive as their exact digits
 * (`fetchJson`'s `exactIntegers` reads them from the body's text), never as a
 * rounded number, so the job never polls someone else's deployment.
 *
 * @example
 * ```ts
 * deploymentIdOf('d-42'); // { ok: true, id: 'd-42' }
 * deploymentIdOf(1.5); // { ok: false, problem: 'a number that is not a whole number ≥ 0 (1.5)' }
 * ```
 */
export function deploymentIdOf(value: JsonValue): DeploymentIdResult {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return { ok: true, id: String(value) };
    const shown = Number.isFinite(value) ? String(value) : 'not finite';
    return { ok: false, problem: `a number that is not a whole number ≥ 0 (${shown})` };
  }
  if (typeof value !== 'string') {
    const kind =
      value === null
        ? 'null'
        : Array.isArray(value)
          ? 'an array'
          : typeof value === 'object'
            ? 'an object'
            : 'a boolean';
    return { ok: false, problem: `${kind}, not a string or number` };
  }
  if (value.length === 0) return { ok: false, problem: 'an empty string' };
  if (value.length > MAX_DEPLOYMENT_ID_LENGTH) {
    return {
      ok: false,
      problem: `${value.length} characters long (at most ${MAX_DEPLOYMENT_ID_LENGTH})`,
    };
  }
  if (!DEPLOYMENT_ID.test(value)) {
    return {
      ok: false,
      problem: 'a string with characters other than letters, digits and ._~:@+=,/-',
    };
  }
  return { ok: true, id: value };
}
