import type { JsonValue } from '@baton/core';
import { printable } from './outside-text.js';

/** Levels of nesting a preview shows; deeper values are shown as `…`. */
const PREVIEW_DEPTH = 8;

/**
 * JSON text of a value, cut to `maxLength` characters for summaries. It
 * costs no more than the text it returns: nesting beyond a few levels is shown
 * as `…`, long arrays and objects stop once the text is long enough, and
 * control characters are removed. Never throws, whatever the value holds.
 *
 * @example
 * ```ts
 * previewJson({ status: 'IN_PROGRESS' }); // '{"status":"IN_PROGRESS"}'
 * ```
 */
export function previewJson(value: unknown, maxLength = 200): string {
  const out = { text: '', full: false };
  const limit = maxLength + 1;
  write(value, 0, out, limit);
  return printable(out.text, maxLength);
}

function write(value: unknown, depth: number, out: { text: string; full: boolean }, limit: number) {
  if (out.full) return;
  const append = (piece: string) => {
    out.text += piece;
    if (out.text.length >= limit) out.full = true;
  };
  if (value === null || typeof value !== 'object') {
    const text = scalarText(value);
    append(text.length > limit ? text.slice(0, limit) : text);
    return;
  }
  if (depth >= PREVIEW_DEPTH) {
    append(Array.isArray(value) ? '[…]' : '{…}');
    return;
  }
  if (Array.isArray(value)) {
    append('[');
    for (let i = 0; i < value.length && !out.full; i += 1) {
      if (i > 0) append(',');
      write(value[i], depth + 1, out, limit);
    }
    append(']');
    return;
  }
  append('{');
  let first = true;
  for (const key in value) {
    if (out.full) break;
    if (!Object.hasOwn(value, key)) continue;
    if (!first) append(',');
    first = false;
    append(`${scalarText(key)}:`);
    write((value as Record<string, unknown>)[key], depth + 1, out, limit);
  }
  append('}');
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') {
    // Quote only the head of a long string: the preview is cut anyway.
    return JSON.stringify(value.length > 1000 ? value.slice(0, 1000) : value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean' || value === null) return String(value);
  return String(value);
}

/** Options of {@link parseJsonText}. */
export interface ParseJsonOptions {
  /**
   * Integer literals beyond `Number.MAX_SAFE_INTEGER` come back as strings of
   * their exact digits (`12345678901234567890`), read from the source text,
   * instead of a rounded number.
   * @default false
   */
  readonly exactIntegers?: boolean;
}

/**
 * Parses a response body as JSON; `undefined` when it is empty or not JSON.
 *
 * @example
 * ```ts
 * parseJsonText('{"id":12345678901234567890}', { exactIntegers: true }); // { id: '12345678901234567890' }
 * ```
 */
export function parseJsonText(text: string, options: ParseJsonOptions = {}): JsonValue | undefined {
  if (text.trim() === '') return undefined;
  try {
    if (!options.exactIntegers) return JSON.parse(text) as JsonValue;
    return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
      typeof value === 'number' &&
      !Number.isSafeInteger(value) &&
      context?.source !== undefined &&
      /^-?\d+$/.test(context.source)
        ? context.source
        : value,
    ) as JsonValue;
  } catch {
    return undefined;
  }
}
