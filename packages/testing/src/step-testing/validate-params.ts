import type { Job } from '@baton/core';

/**
 * The issues a job's params schema reports for raw parameters, as
 * `path: message` (empty when they are valid).
 *
 * @example
 * ```ts
 * await paramIssues(job, { url: 'not a url' }); // ['url: Invalid URL']
 * ```
 */
export async function paramIssues<S extends object, P>(
  job: Job<S, P>,
  raw: unknown,
): Promise<string[]> {
  const result = await schemaOf(job)['~standard'].validate(raw);
  return (result.issues ?? []).map((issue) => {
    const path = (issue.path ?? [])
      .map((segment) => String(typeof segment === 'object' ? segment.key : segment))
      .join('.');
    return `${path}: ${issue.message}`;
  });
}

/**
 * Raw parameters validated by the job's params schema (defaults applied), or
 * an error listing the issues.
 *
 * @example
 * ```ts
 * const params = await validateParams(job, { url: 'https://example.com' });
 * ```
 */
export async function validateParams<S extends object, P>(
  job: Job<S, P>,
  raw: unknown,
): Promise<P> {
  const result = await schemaOf(job)['~standard'].validate(raw);
  if (result.issues) {
    throw new Error(
      `invalid params for job ${job.name}: ${result.issues.map((i) => i.message).join('; ')}`,
    );
  }
  return result.value;
}

function schemaOf<S extends object, P>(job: Job<S, P>): NonNullable<Job<S, P>['params']> {
  if (!job.params) throw new Error(`job ${job.name} has no params schema`);
  return job.params;
}
