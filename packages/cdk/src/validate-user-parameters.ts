import type { StandardSchemaV1 } from '@standard-schema/spec';
import { Token, Tokenization } from 'aws-cdk-lib';
import { UserParametersError } from './errors.js';

type Path = ReadonlyArray<PropertyKey>;

// A deploy-time value (a load balancer's DNS name) is unknown at synth. Inside
// a string with literal parts (`https://${dnsName}/health`) it stands in as
// this word, and the string is checked; a value that is a token as a whole is
// not checked.
const TOKEN_STAND_IN = 'token';

/**
 * Checks an action's `userParameters` against the job's schema at synth.
 * Values that are CDK tokens (known only at deploy time) are checked as far
 * as their literal parts allow; a value that is one token as a whole is not.
 *
 * @throws {UserParametersError} naming each field that is wrong
 * @example
 * ```ts
 * validateUserParameters(waitForHttpParamsSchema, { url: 'https://example.com' }, 'Check');
 * ```
 */
export function validateUserParameters(
  schema: StandardSchemaV1,
  userParameters: unknown,
  actionName: string,
): void {
  const tokenPaths: Path[] = [];
  const value = standIn(userParameters, [], tokenPaths);
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) {
    throw new UserParametersError(
      `action ${actionName}: the userParameters schema validates asynchronously; synth needs a synchronous one`,
    );
  }
  const issues = (result.issues ?? []).filter(
    (issue) => !tokenPaths.some((path) => samePath(path, keysOf(issue.path))),
  );
  if (issues.length === 0) return;
  const lines = issues.map((issue) => {
    const at = keysOf(issue.path).map(String).join('.');
    return at === '' ? `- ${issue.message}` : `- ${at}: ${issue.message}`;
  });
  throw new UserParametersError(
    `action ${actionName}: invalid userParameters\n${lines.join('\n')}`,
  );
}

function standIn(value: unknown, path: Path, tokenPaths: Path[]): unknown {
  if (typeof value === 'string' && Token.isUnresolved(value)) {
    const fragments = Tokenization.reverseString(value);
    if (fragments.length === 1) tokenPaths.push(path);
    return fragments
      .mapTokens({ mapToken: () => TOKEN_STAND_IN })
      .join({ join: (left: unknown, right: unknown) => `${String(left)}${String(right)}` });
  }
  if (typeof value === 'number' && Token.isUnresolved(value)) {
    tokenPaths.push(path);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => standIn(item, [...path, i], tokenPaths));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, standIn(item, [...path, key], tokenPaths)]),
    );
  }
  return value;
}

function keysOf(path: StandardSchemaV1.Issue['path']): PropertyKey[] {
  return (path ?? []).map((segment) => (typeof segment === 'object' ? segment.key : segment));
}

function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((key, i) => String(key) === String(b[i]));
}
