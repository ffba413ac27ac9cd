import { type CliCommand, CommandFailure, ExitCode } from '../cli-command.js';
import { formatRunDetails } from '../format-run.js';
import { parseCommand } from '../parse-command-line.js';
import { resolveRunId, runRefOf } from '../run-id.js';
import { runViewJson, toRunView } from '../run-view.js';
import { LOCAL_TABLE, TABLE_OPTION, withTable } from '../table-target.js';

const HELP = `Usage: baton runs show <runId> [--table NAME] [--json]

Shows one run as Baton's table holds it: status (or "stuck", with what to do),
step, job number (1 = the first job, as in 'baton local'), attempt, lease holder and expiry, resume time, progress, the
last outcome (continuation tokens shortened), the last error, the state, and
the history of every committed invocation, read with one query.

<runId> is the 32-hex-character id CodePipeline shows as the action's
external execution id; a Baton continuation token (bt1.…) works too, and so
does the short id the timeline of 'baton local' prints (5f0c2a9e…, at least
6 characters), looked up in the table's runs-by-status index.

Options:
  --table NAME   the table (default: $BATON_TABLE_NAME, else ${LOCAL_TABLE})
  --json         the run and its history as JSON, times as ISO 8601
  -h, --help     this help

The endpoint, region and credentials come from the AWS SDK's standard
settings (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, AWS_REGION, …).

Exit status: 0 shown, 1 no such run or DynamoDB failed, 2 usage error,
130 interrupted.
`;

/**
 * `baton runs show <runId>`: one run as stored, with what to do when it is
 * stuck, and its full history.
 *
 * @example
 * ```ts
 * await runsShowCommand.run(['5f0c2a9e0d3b4c5a8e7f6a5b4c3d2e1f', '--json'], io);
 * ```
 */
export const runsShowCommand: CliCommand = {
  name: 'runs show',
  summary: 'show one run: its state, lease, outcome and full history',
  help: HELP,
  async run(args, io) {
    const parsed = parseCommand(args, {
      options: { ...TABLE_OPTION, json: { type: 'boolean' } },
      positionals: ['runId'],
      help: HELP,
      stdout: io.stdout,
    });
    if (!parsed) return ExitCode.Success;
    const { values, positionals } = parsed;
    const ref = runRefOf(positionals[0] ?? '');
    return withTable(
      values.table,
      io,
      async ({ target, store }) => {
        const runId = await resolveRunId(ref, store);
        const found = await store.getRun(runId);
        if (!found) throw new CommandFailure(`no run ${runId} in ${await target.describe()}`);
        const now = io.now();
        const view = toRunView(found.run, now);
        const stored = {
          history: found.history,
          ...(found.run.stateJson === undefined ? {} : { stateJson: found.run.stateJson }),
        };
        io.stdout.write(
          values.json
            ? `${JSON.stringify(runViewJson(view, stored), null, 2)}\n`
            : formatRunDetails(view, stored, now),
        );
        return ExitCode.Success;
      },
      LOCAL_TABLE,
    );
  },
};
