import {
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { runCli } from '@baton/cli';
import { RUN_LIST_INDEX } from '@baton/core';
import { median } from '../stats.js';

/** One measured way of listing runs. */
export interface ListingFigure {
  /** The command line, or what was done. */
  what: string;
  /** Median wall milliseconds. */
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Runs the command printed (or the scan read). */
  runs: number;
  /** The first line it printed (its header), to show what it did. */
  header: string;
  /** Stopped before it finished: the real time is longer. */
  lowerBound?: boolean;
}

const TIMED_RUNS = 5;

/** Runs `baton <argv>` in this process `TIMED_RUNS` times after one warm-up. */
async function timeCli(argv: string[]): Promise<ListingFigure> {
  const times: number[] = [];
  let stdout = '';
  for (let round = 0; round <= TIMED_RUNS; round += 1) {
    stdout = '';
    let stderr = '';
    const started = performance.now();
    const code = await runCli(argv, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      now: Date.now,
    });
    const ms = performance.now() - started;
    if (code !== 0) throw new Error(`baton ${argv.join(' ')} exited ${code}: ${stderr}`);
    if (round > 0) times.push(ms);
  }
  const json = argv.includes('--json');
  const runs = json
    ? (JSON.parse(stdout) as unknown[]).length
    : Number(/: (\d+)/.exec(stdout.split('\n')[0] ?? '')?.[1] ?? Number.NaN);
  return {
    what: `baton ${argv.join(' ')}`,
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    runs,
    header: json ? '(JSON)' : stdout.split('\n').slice(0, 2).join(' ').trim(),
  };
}

/** How long the full scan may read before it is stopped and reported as a lower bound. */
const FULL_SCAN_CAP_MS = 60_000;

/**
 * What `runs list` did before the index: scan every item with no
 * projection, keep the run items, sort them all, then cut to the limit.
 * Timed once; stopped after {@link FULL_SCAN_CAP_MS}, when the figure is
 * a lower bound and says how much of the table it read.
 */
async function timeFullScan(client: DynamoDBClient, tableName: string): Promise<ListingFigure> {
  const doc = DynamoDBDocumentClient.from(client);
  // No warm-up round: the listing rounds before warmed up the client.
  const started = performance.now();
  const all: Array<{ updatedAt: number }> = [];
  let scanned = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'sk = :run',
        ExpressionAttributeValues: { ':run': 'run' },
        ExclusiveStartKey: startKey,
      }),
    );
    all.push(...((out.Items ?? []) as Array<{ updatedAt: number }>));
    scanned += out.ScannedCount ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey && performance.now() - started < FULL_SCAN_CAP_MS);
  all.sort((a, b) => b.updatedAt - a.updatedAt);
  const ms = performance.now() - started;
  const runs = all.length;
  const stopped = startKey !== undefined;
  return {
    what: stopped
      ? `before: a full Scan with no projection, sorted, then --limit 20 (what runs list did), stopped after ${FULL_SCAN_CAP_MS / 1000} s`
      : 'before: a full Scan with no projection, sorted, then --limit 20 (what runs list did)',
    medianMs: ms,
    minMs: ms,
    maxMs: ms,
    runs,
    header: stopped
      ? `unfinished: ${scanned} items read in ${(ms / 1000).toFixed(0)} s, all attributes`
      : `${runs} run items read, all attributes`,
    lowerBound: stopped,
  };
}

/**
 * `baton runs list` on a table of seeded runs: with the index, the usual
 * commands; then the same table before the change (a full scan), and
 * without the index (the bounded scan `runs list` falls back to).
 */
export async function measureRunsList(
  client: DynamoDBClient,
  tableName: string,
): Promise<ListingFigure[]> {
  const table = ['--table', tableName];
  const figures: ListingFigure[] = [];
  for (const argv of [
    ['runs', 'list', ...table],
    ['runs', 'list', '--limit', '100', ...table],
    ['runs', 'list', '--status', 'failed', ...table],
    ['runs', 'list', '--job', 'job-3', '--since', '7d', ...table],
    ['runs', 'list', '--stuck', ...table],
    ['runs', 'list', '--limit', '1000', '--json', ...table],
  ]) {
    figures.push(progress(await timeCli(argv)));
  }
  figures.push(progress(await timeFullScan(client, tableName)));
  await dropRunListIndex(client, tableName);
  const fallback = await timeCli(['runs', 'list', ...table]);
  figures.push(
    progress({ ...fallback, what: `${fallback.what} (table without the index: bounded scan)` }),
  );
  return figures;
}

async function dropRunListIndex(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: RUN_LIST_INDEX.name } }],
    }),
  );
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (!Table?.GlobalSecondaryIndexes?.length) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Prints a figure as soon as it is measured (a full run takes a while). */
function progress(figure: ListingFigure): ListingFigure {
  process.stderr.write(
    `  ${figure.medianMs.toFixed(0).padStart(7)} ms  ${figure.what}  (${figure.runs} runs)\n`,
  );
  return figure;
}
