import type { JsonValue } from '@baton/core';
import * as z from 'zod/mini';
import { JSON_PATH_PATTERN, readJsonPath } from './json-path.js';
import { previewJson } from './json-text.js';
import './zod-setup.js';

export { previewJson } from './json-text.js';

/**
 * A test on one value of a JSON response: the value at `path` equals a given
 * value, or is one of a list (compared as JSON, so objects and arrays work too).
 */
export type Condition =
  | { readonly path: string; readonly equals: JsonValue }
  | { readonly path: string; readonly in: readonly JsonValue[] };

/** The outcome of {@link evaluateCondition}. */
export interface ConditionResult {
  /** True when the value at the path satisfies the condition. */
  readonly matched: boolean;
  /** True when the document has a value at the path. */
  readonly found: boolean;
  /** The value at the path, when found. */
  readonly value?: JsonValue;
}

/**
 * Checks a condition against a JSON document. A missing value never matches,
 * not even `{ "equals": null }`.
 *
 * @example
 * ```ts
 * evaluateCondition({ path: 'status', in: ['FAILED', 'ROLLED_BACK'] }, { status: 'FAILED' });
 * // { matched: true, found: true, value: 'FAILED' }
 * ```
 */
export function evaluateCondition(
  condition: Condition,
  document: JsonValue | undefined,
): ConditionResult {
  const read = readJsonPath(document, condition.path);
  if (!read.found) return { matched: false, found: false };
  const { value } = read;
  const matched =
    'in' in condition
      ? condition.in.some((candidate) => jsonEquals(candidate, value))
      : jsonEquals(condition.equals, value);
  return { matched, found: true, value };
}

/**
 * The condition as people read it in summaries and messages.
 *
 * @example
 * ```ts
 * describeCondition({ path: 'status', equals: 'SUCCEEDED' }); // 'status = "SUCCEEDED"'
 * describeCondition({ path: 'status', in: ['FAILED', 'ROLLED_BACK'] }); // 'status in ["FAILED","ROLLED_BACK"]'
 * ```
 */
export function describeCondition(condition: Condition): string {
  return 'in' in condition
    ? `${condition.path} in ${previewJson(condition.in)}`
    : `${condition.path} = ${previewJson(condition.equals)}`;
}

/**
 * Zod schema of a {@link Condition} whose messages name `field` (e.g.
 * `successWhen`), so a bad `UserParameters` says which part is wrong.
 *
 * @example
 * ```ts
 * const params = z.object({ successWhen: z.optional(conditionSchema('successWhen')) });
 * ```
 */
export function conditionSchema(field: string): z.ZodMiniType<Condition> {
  return z.pipe(
    z
      .strictObject(
        {
          path: z
            .string({ error: `${field}.path must be a string like "status" or "items.0.state"` })
            .check(
              z.regex(JSON_PATH_PATTERN, {
                error: `${field}.path must be a dotted path like "status" or "items.0.state"`,
              }),
            ),
          equals: z.optional(jsonSchema(`${field}.equals must be a JSON value`)),
          in: z.optional(
            z
              .array(z.json(), { error: `${field}.in must be an array of JSON values` })
              .check(z.minLength(1, { error: `${field}.in must list at least one value` })),
          ),
        },
        {
          error: (issue) =>
            issue.input === undefined
              ? `${field} is required`
              : `${field} must be an object like {"path":"status","equals":"SUCCEEDED"}`,
        },
      )
      .check(
        z.refine((value) => 'equals' in value !== 'in' in value, {
          error: `${field} needs exactly one of "equals" or "in"`,
        }),
      ),
    z.transform(
      (value): Condition =>
        value.in !== undefined
          ? { path: value.path, in: value.in }
          : { path: value.path, equals: value.equals as JsonValue },
    ),
  );
}

/**
 * `z.json()` whose message for a value that is not JSON is `error`: `zod/mini`'s
 * `z.json()` takes no message, so this builds the same schema `zod`'s
 * `z.json({ error })` does (the message sits on its string member).
 *
 * @example
 * ```ts
 * z.object({ body: z.optional(jsonSchema('body must be a JSON value')) });
 * ```
 */
export function jsonSchema(error: string): z.ZodMiniJSONSchema {
  const schema: z.ZodMiniJSONSchema = z.lazy(() =>
    z.union([
      z.string({ error }),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(schema),
      z.record(z.string(), schema),
    ]),
  ) as unknown as z.ZodMiniJSONSchema;
  return schema;
}

/** Deep equality of JSON values; object key order does not matter. */
function jsonEquals(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => jsonEquals(item, b[index] as JsonValue));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every(
    (key) => Object.hasOwn(b, key) && jsonEquals(a[key] as JsonValue, b[key] as JsonValue),
  );
}
