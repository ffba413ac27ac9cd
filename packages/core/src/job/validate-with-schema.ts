import type { StandardSchemaV1 } from '@standard-schema/spec';

/** The result of {@link validateWithSchema}. */
export type SchemaResult<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Validates `value` with any Standard Schema and turns its issues into one
 * readable line per issue, each prefixed with the path (`label.a.b[0]`).
 *
 * @example
 * ```ts
 * const r = await validateWithSchema(z.object({ url: z.url() }), {}, 'UserParameters');
 * // { ok: false, message: 'UserParameters.url: Invalid input: expected string, received undefined' }
 * ```
 */
export async function validateWithSchema<T>(
  schema: StandardSchemaV1<unknown, T>,
  value: unknown,
  label: string,
): Promise<SchemaResult<T>> {
  let result = schema['~standard'].validate(value);
  if (result instanceof Promise) result = await result;
  if (!result.issues) return { ok: true, value: result.value };
  const lines = result.issues.slice(0, 10).map((issue) => {
    const path = formatPath(label, issue.path);
    return `${path}: ${issue.message}`;
  });
  if (result.issues.length > 10) lines.push(`… and ${result.issues.length - 10} more issues`);
  return { ok: false, message: lines.join('; ') };
}

function formatPath(
  label: string,
  path: ReadonlyArray<PropertyKey | StandardSchemaV1.PathSegment> | undefined,
): string {
  let out = label;
  for (const segment of path ?? []) {
    const key = typeof segment === 'object' ? segment.key : segment;
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
