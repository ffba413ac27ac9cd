import type { JsonValue } from '@baton/core';

/** What {@link readJsonPath} found: the value, or that nothing is there. */
export type JsonPathResult =
  | { readonly found: true; readonly value: JsonValue }
  | { readonly found: false };

/** Matches a dotted path with no empty segment (`status`, `items.0.state`). */
export const JSON_PATH_PATTERN = /^[^.]+(\.[^.]+)*$/;

/**
 * Reads the value at a dotted path in a JSON document. Each segment is an
 * object key, or an array index when the value there is an array. Keys that
 * themselves contain dots cannot be reached.
 *
 * @example
 * ```ts
 * readJsonPath({ items: [{ state: 'READY' }] }, 'items.0.state'); // { found: true, value: 'READY' }
 * readJsonPath({ items: [] }, 'items.0.state'); // { found: false }
 * ```
 */
export function readJsonPath(document: JsonValue | undefined, path: string): JsonPathResult {
  let current: JsonValue | undefined = document;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) {
      // Only plain decimal indexes: `1e0` or ` 1` are not array positions.
      if (!/^(0|[1-9]\d*)$/.test(segment)) return { found: false };
      current = current[Number(segment)];
    } else if (typeof current === 'object' && current !== null) {
      // Own keys only, so `constructor` or `__proto__` never reach the prototype.
      current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    } else {
      return { found: false };
    }
    if (current === undefined) return { found: false };
  }
  return current === undefined ? { found: false } : { found: true, value: current };
}
