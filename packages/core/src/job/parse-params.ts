import { ConfigurationError } from '../errors.js';
import type { Job } from './define-job.js';
import { validateWithSchema } from './validate-with-schema.js';

/**
 * Turns `UserParameters` into the job's typed params: parsed as JSON (unless
 * the job reads text) and validated with its schema. Throws
 * {@link ConfigurationError} naming what is wrong.
 *
 * @example
 * ```ts
 * const params = await parseParams(job, '{"url":"https://example.com"}');
 * ```
 */
export async function parseParams<S extends object, P>(
  job: Job<S, P>,
  raw: string | undefined,
): Promise<P> {
  let value: unknown = raw;
  if (job.paramsFormat === 'json') {
    if (raw === undefined || raw.trim() === '') {
      value = undefined;
    } else {
      try {
        value = JSON.parse(raw);
      } catch (err) {
        throw new ConfigurationError(
          `UserParameters is not valid JSON (${(err as Error).message}); got ${preview(raw)}`,
          { cause: err },
        );
      }
    }
  }
  if (!job.params) return value as P;
  const result = await validateWithSchema(job.params, value, 'UserParameters');
  if (!result.ok) throw new ConfigurationError(`invalid UserParameters: ${result.message}`);
  return result.value;
}

function preview(text: string): string {
  const cut = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return JSON.stringify(cut);
}
