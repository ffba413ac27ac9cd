import type { DynamoDBRunStore } from '@baton/core';
import type { TextSink } from './cli-command.js';
import { formatRunDetails } from './format-run.js';
import { toRunView } from './run-view.js';

/**
 * Reads a run back from the table (one query) and writes it the way
 * `baton runs show` does.
 *
 * @returns whether the run was found
 * @example
 * ```ts
 * await writeStoredRun(stack.store, display.runId, process.stdout, Date.now());
 * ```
 */
export async function writeStoredRun(
  store: DynamoDBRunStore,
  runId: string,
  out: TextSink,
  now: number,
): Promise<boolean> {
  const found = await store.getRun(runId);
  if (!found) {
    out.write(`run ${runId} is not in table ${store.tableName}\n`);
    return false;
  }
  out.write(
    formatRunDetails(
      toRunView(found.run, now),
      {
        history: found.history,
        ...(found.run.stateJson === undefined ? {} : { stateJson: found.run.stateJson }),
      },
      now,
    ),
  );
  return true;
}
