import { sweepRuns } from '@baton/core';
import { type CliCommand, ExitCode } from '../cli-command.js';
import { parseCommand } from '../parse-command-line.js';
import { LOCAL_TABLE, TABLE_OPTION, withTable } from '../table-target.js';

const HELP = `Usage: baton runs sweep [--dry-run] [--table NAME] [--json]

Marks "abandoned" every run that no invocation will ever move again, so the
table stops showing it as running. A running run is abandoned when no live
lease holds it and either CodePipeline's 24-hour limit of an action has
passed since it started, or its deadline has passed and nothing touched it
for 20 minutes, or nothing touched it for 30 minutes (CodePipeline fails a
job that gets no reply for 20 minutes; 10 more are allowed for the next job
of a continuation to arrive). Each run is marked with one conditional write
that holds only if the run is still as it was read, with the reason and the
time. Runs an invocation found refused by CodePipeline are marked by that
invocation already.

Options:
  --dry-run      only list what would be marked
  --table NAME   the table (default: $BATON_TABLE_NAME, else ${LOCAL_TABLE})
  --json         the runs found as a JSON array
  -h, --help     this help

The endpoint, region and credentials come from the AWS SDK's standard
settings (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, AWS_REGION, …).
Sweeping reads the running runs from the runs-by-status index; a table
without it (created before it; 'baton table create' adds it) is scanned.

Exit status: 0 swept (also when nothing was found), 1 DynamoDB failed,
2 usage error, 130 interrupted.
`;

/**
 * `baton runs sweep`: marks abandoned the runs no invocation will touch again.
 *
 * @example
 * ```ts
 * await runsSweepCommand.run(['--dry-run'], io);
 * ```
 */
export const runsSweepCommand: CliCommand = {
  name: 'runs sweep',
  summary: 'mark abandoned the runs no invocation will ever move again',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommand(args, {
      options: { ...TABLE_OPTION, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
      help: HELP,
      stdout: io.stdout,
    });
    if (!parsed) return ExitCode.Success;
    const { values } = parsed;
    const dryRun = values['dry-run'] === true;
    return withTable(
      values.table,
      io,
      async ({ target, store }) => {
        const result = await sweepRuns(store, { now: io.now(), dryRun });
        if (values.json) {
          io.stdout.write(`${JSON.stringify(result.abandoned, null, 2)}\n`);
          return ExitCode.Success;
        }
        if (result.scanReason) io.stdout.write(`scanned the table: ${result.scanReason}\n`);
        const verb = dryRun ? 'would mark' : 'marked';
        const marked = result.abandoned.filter((run) => run.marked || dryRun);
        io.stdout.write(
          `${await target.describe()}: ${result.scanned} run${result.scanned === 1 ? '' : 's'} read, ` +
            `${verb} ${marked.length} abandoned\n`,
        );
        for (const run of result.abandoned) {
          const moved = !dryRun && !run.marked ? ' (not marked: it moved meanwhile)' : '';
          io.stdout.write(
            `  ${run.runId} ${run.jobName} ${run.reason}${moved}\n    ${run.detail}\n`,
          );
        }
        return ExitCode.Success;
      },
      LOCAL_TABLE,
    );
  },
};
