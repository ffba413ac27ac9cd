import { type HistoryRecord, type StoredRun, systemClock } from '@baton/core';
import { type CliCommand, CommandFailure, ExitCode } from '../cli-command.js';
import { describeHistoryEntry } from '../format-run.js';
import { jobNumberOf } from '../job-number.js';
import { parseCommand, positiveNumberOption } from '../parse-command-line.js';
import { resolveRunId, runRefOf } from '../run-id.js';
import { toRunView } from '../run-view.js';
import { LOCAL_TABLE, TABLE_OPTION, withTable } from '../table-target.js';

const HELP = `Usage: baton runs watch <runId> [--interval SECONDS] [--table NAME]

Follows one run live: prints its status, step and progress whenever they
change, and each committed invocation's history lines as they are committed,
until the run succeeds, fails or is abandoned (or Ctrl-C). Reads the run
with one query per interval.

<runId> is the 32-hex-character id CodePipeline shows as the action's
external execution id; a Baton continuation token (bt1.…) or the short id
the timeline of 'baton local' prints (5f0c2a9e…) works too.

Options:
  --interval SECONDS  time between reads (default 2)
  --table NAME        the table (default: $BATON_TABLE_NAME, else ${LOCAL_TABLE})
  -h, --help          this help

Exit status: 0 the run succeeded, 1 it failed or was abandoned (or no such
run, or DynamoDB failed), 2 usage error, 130 interrupted.
`;

/**
 * `baton runs watch <runId>`: follows a run until it ends.
 *
 * @example
 * ```ts
 * await runsWatchCommand.run([runId, '--interval', '0.5'], io);
 * ```
 */
export const runsWatchCommand: CliCommand = {
  name: 'runs watch',
  summary: 'follow one run live: progress and history lines as they are committed',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommand(args, {
      options: { ...TABLE_OPTION, interval: { type: 'string' } },
      positionals: ['runId'],
      help: HELP,
      stdout: io.stdout,
    });
    if (!parsed) return ExitCode.Success;
    const { values, positionals } = parsed;
    const ref = runRefOf(positionals[0] ?? '');
    const intervalMs =
      values.interval === undefined
        ? 2000
        : positiveNumberOption('interval', values.interval) * 1000;
    return withTable(
      values.table,
      io,
      async ({ target, store }) => {
        const runId = await resolveRunId(ref, store);
        const printed = new Set<number>();
        let lastStatus = '';
        for (;;) {
          const found = await store.getRun(runId);
          if (!found) throw new CommandFailure(`no run ${runId} in ${await target.describe()}`);
          for (const line of newHistoryLines(found.history, printed)) io.stdout.write(`${line}\n`);
          const status = statusLine(found, io.now());
          if (status !== lastStatus) {
            io.stdout.write(`${status}\n`);
            lastStatus = status;
          }
          if (found.run.status !== 'running') {
            return found.run.status === 'succeeded' ? ExitCode.Success : ExitCode.Failure;
          }
          await systemClock.sleep(intervalMs, io.signal);
        }
      },
      LOCAL_TABLE,
    );
  },
};

/** History lines of records not printed yet, oldest first; marks them printed. */
function newHistoryLines(history: readonly HistoryRecord[], printed: Set<number>): string[] {
  const lines: string[] = [];
  for (const record of [...history].sort((a, b) => a.jobSeq - b.jobSeq)) {
    if (printed.has(record.jobSeq)) continue;
    printed.add(record.jobSeq);
    lines.push(
      `  job ${jobNumberOf(record.jobSeq)} committed at ${new Date(record.committedAt).toISOString()}`,
    );
    if (record.entries.length === 0) lines.push('    (no step ran: too little time was left)');
    for (const entry of record.entries) lines.push(`    ${describeHistoryEntry(entry)}`);
  }
  return lines;
}

/** `running · step poll (attempt 1) · job 3 · 66% "poll 2 of 3"`, or how the run ended. */
function statusLine(found: StoredRun, now: number): string {
  const view = toRunView(found.run, now);
  const run = found.run;
  const progress = [
    view.progress?.percentComplete === undefined ? undefined : `${view.progress.percentComplete}%`,
    view.progress?.summary === undefined ? undefined : JSON.stringify(view.progress.summary),
  ]
    .filter(Boolean)
    .join(' ');
  const parts = [
    view.status,
    `step ${view.step} (attempt ${view.attempt})`,
    `job ${view.jobNumber}`,
    progress || undefined,
    view.status === 'stuck' ? view.stuck?.reason : undefined,
    run.status === 'failed' && run.outcome?.kind === 'fail'
      ? `${run.outcome.failureType}: ${run.outcome.message}`
      : undefined,
    run.status === 'abandoned' ? `${run.abandonReason}: ${run.abandonDetail}` : undefined,
  ];
  return parts.filter(Boolean).join(' · ');
}
