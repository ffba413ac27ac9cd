import { readFile } from 'node:fs/promises';
import type { LambdaEventTemplate } from '@baton/testing';
import { UsageError } from './cli-command.js';

/**
 * Reads a CodePipeline job event (`{"CodePipeline.job": {...}}`) to play: its
 * `UserParameters`, `FunctionName` and artifacts are used for every job; job
 * id, continuation token and artifact credentials are made per job.
 *
 * @throws {UsageError} when the file cannot be read or is not such an event
 * @example
 * ```ts
 * const template = await readEventFile('events/deploy.json');
 * ```
 */
export async function readEventFile(path: string): Promise<LambdaEventTemplate> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --event file ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--event file ${path} is not JSON: ${(err as Error).message}`);
  }
  const job =
    typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)['CodePipeline.job']
      : undefined;
  if (typeof job !== 'object' || job === null) {
    throw new UsageError(
      `--event file ${path} is not a CodePipeline job event: expected {"CodePipeline.job": {"data": {"actionConfiguration": …}}}`,
    );
  }
  return parsed as LambdaEventTemplate;
}
