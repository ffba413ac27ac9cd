import type { StandardSchemaV1 } from '@standard-schema/spec';

/**
 * A few combinators that check a plain JSON value against a fixed shape and
 * name every field that does not fit. The CodePipeline event is validated
 * with them on every invocation; a schema library costs more to load and to
 * build at a cold start than these lines (see the package README).
 */
type Issue = StandardSchemaV1.Issue;
type Path = ReadonlyArray<PropertyKey>;

/** Checks one value; pushes an issue for each field that does not fit. */
export type ShapeCheck = (value: unknown, path: Path, issues: Issue[]) => void;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function expect(what: string, value: unknown, path: Path, issues: Issue[]): void {
  issues.push({ message: `expected ${what}, got ${describe(value)}`, path });
}

/** A string (at least `minLength` characters). */
export function string(minLength = 0): ShapeCheck {
  return (value, path, issues) => {
    if (typeof value !== 'string') expect('a string', value, path, issues);
    else if (value.length < minLength) {
      issues.push({ message: `expected at least ${minLength} character(s)`, path });
    }
  };
}

/** A finite number. */
export const number: ShapeCheck = (value, path, issues) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) expect('a number', value, path, issues);
};

/** `undefined`, or what `check` accepts. */
export function optional(check: ShapeCheck): ShapeCheck {
  return (value, path, issues) => {
    if (value !== undefined) check(value, path, issues);
  };
}

/** `null`, or what `check` accepts. */
export function nullable(check: ShapeCheck): ShapeCheck {
  return (value, path, issues) => {
    if (value !== null) check(value, path, issues);
  };
}

/** An array whose every element `check` accepts. */
export function array(check: ShapeCheck): ShapeCheck {
  return (value, path, issues) => {
    if (!Array.isArray(value)) return expect('an array', value, path, issues);
    value.forEach((element, i) => {
      check(element, [...path, i], issues);
    });
  };
}

/** An object with these fields (others are allowed and kept). */
export function object(fields: Record<string, ShapeCheck>): ShapeCheck {
  return (value, path, issues) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return expect('an object', value, path, issues);
    }
    for (const [key, check] of Object.entries(fields)) {
      check((value as Record<string, unknown>)[key], [...path, key], issues);
    }
  };
}

/**
 * A Standard Schema over a shape check, so the shape can be used wherever a
 * schema is taken (`validateWithSchema`, a job's own validation).
 */
export function shapeSchema<T>(check: ShapeCheck): StandardSchemaV1<unknown, T> {
  return {
    '~standard': {
      version: 1,
      vendor: 'baton',
      validate: (value) => {
        const issues: Issue[] = [];
        check(value, [], issues);
        return issues.length > 0 ? { issues } : { value: value as T };
      },
    },
  };
}
