import { ConfigurationError, decodeToken } from '@baton/core';
import { UsageError } from './cli-command.js';

const RUN_ID = /^[0-9a-f]{32}$/;

/**
 * The run id in what the user gave: a run id, or a Baton continuation token.
 *
 * @example
 * ```ts
 * runIdOf('bt1.5f0c2a9e0d3b4c5a8e7f6a5b4c3d2e1f.3.AbC…'); // '5f0c2a9e0d3b4c5a8e7f6a5b4c3d2e1f'
 * ```
 */
export function runIdOf(given: string): string {
  const text = given.trim();
  if (RUN_ID.test(text)) return text;
  if (text.startsWith('bt1.')) {
    try {
      return decodeToken(text).runId;
    } catch (err) {
      if (err instanceof ConfigurationError) throw new UsageError(err.message);
      throw err;
    }
  }
  throw new UsageError(
    `'${given}' is not a run id: run ids are 32 hex characters (the action's external execution id in CodePipeline)`,
  );
}
