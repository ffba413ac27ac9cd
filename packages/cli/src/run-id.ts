import { ConfigurationError, type DynamoDBRunStore, decodeToken } from '@baton/core';
import { CommandFailure, UsageError } from './cli-command.js';

const RUN_ID = /^[0-9a-f]{32}$/;
/** A short run id as the timeline and `runs list` print it: `5f0c2a9e…`, `bt1.5f0c2a9e…`. */
const SHORT_RUN_ID = /^(?:bt1\.)?([0-9a-f]{6,32})(?:…|\.\.\.)?$/;
/** How many runs are listed at most when a short id matches several. */
const SHOWN_MATCHES = 5;

/**
 * Whether `text` is a run id (32 hex characters), not a job id or anything else.
 *
 * @example
 * ```ts
 * isRunId('7ce30914-0f4c-4a55-9a3e-1a2b3c4d5e6f'); // false: a job id
 * ```
 */
export function isRunId(text: string): boolean {
  return RUN_ID.test(text);
}

/** What the user gave for a run: its id, or the start of it. */
export type RunRef = { runId: string } | { prefix: string };

/**
 * The run in what the user gave: a run id, a Baton continuation token, or a
 * short run id as the timeline prints it (`5f0c2a9e…`, `bt1.5f0c2a9e…`, at
 * least 6 hex characters).
 *
 * @throws {UsageError} when it is none of these
 * @example
 * ```ts
 * runRefOf('bt1.5f0c2a9e0d3b4c5a8e7f6a5b4c3d2e1f.3.AbC…'); // { runId: '5f0c2a9e…' }
 * runRefOf('bt1.5f0c2a9e…'); // { prefix: '5f0c2a9e' }
 * ```
 */
export function runRefOf(given: string): RunRef {
  const text = given.trim();
  if (RUN_ID.test(text)) return { runId: text };
  const short = SHORT_RUN_ID.exec(text);
  if (short?.[1]) return { prefix: short[1] };
  if (text.startsWith('bt1.')) {
    try {
      return { runId: decodeToken(text).runId };
    } catch (err) {
      if (err instanceof ConfigurationError) throw new UsageError(err.message);
      throw err;
    }
  }
  throw new UsageError(
    `'${given}' is not a run id: run ids are 32 hex characters (the action's external execution id in CodePipeline); the short form the timeline prints (at least 6 of them, e.g. 5f0c2a9e…) works too`,
  );
}

/**
 * The full run id of a {@link RunRef}: a short id is looked up in the
 * table's run index (a query per status that reads only keys).
 *
 * @throws {CommandFailure} when no run or several runs start with it
 * @example
 * ```ts
 * const runId = await resolveRunId(runRefOf(positional), store);
 * ```
 */
export async function resolveRunId(ref: RunRef, store: DynamoDBRunStore): Promise<string> {
  if ('runId' in ref) return ref.runId;
  const matches: string[] = [];
  for await (const run of store.listRunsNewestFirst({
    fields: [],
    runIdPrefix: ref.prefix,
  })) {
    if (run.runId !== undefined) matches.push(run.runId);
    if (matches.length > SHOWN_MATCHES) break;
  }
  if (matches.length === 1) return matches[0] as string;
  if (matches.length === 0) {
    throw new CommandFailure(`no run id starts with ${ref.prefix} in table ${store.tableName}`);
  }
  const more = matches.length > SHOWN_MATCHES ? ', …' : '';
  throw new CommandFailure(
    `several runs start with ${ref.prefix}: ${matches.slice(0, SHOWN_MATCHES).join(', ')}${more}; give more characters`,
  );
}
