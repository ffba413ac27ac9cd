import { DynamoDBRunStore } from '@baton/core';
import { type CliCommand, CommandFailure, ExitCode } from '../cli-command.js';
import { formatRunDetails } from '../format-run.js';
import { expectPositionals, HELP_OPTION, parseCommandLine } from '../parse-command-line.js';
import { runIdOf } from '../run-id.js';
import { runViewJson, toRunView } from '../run-view.js';
import { explainAwsError, tableTarget } from '../table-target.js';

const HELP = `Usage: baton runs show <runId> [--table NAME] [--json]

Shows one run as Baton's table holds it: status (or "stuck", with what to do),
step, sequence, attempt, lease holder and expiry, resume time, progress, the
last outcome (continuation tokens shortened), the last error, the state, and
the history of every committed invocation, read with one query.

<runId> is the 32-hex-character id CodePipeline shows as the action's
external execution id; a Baton continuation token (bt1.…) works too.

Options:
  --table NAME   the table (default: $BATON_TABLE_NAME)
  --json         the run and its history as JSON, times as ISO 8601
  -h, --help     this help

The endpoint, region and credentials come from the AWS SDK's standard
settings (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, AWS_REGION, …).

Exit status: 0 shown, 1 no such run or DynamoDB failed, 2 usage error.
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
    const { values, positionals } = parseCommandLine(args, {
      ...HELP_OPTION,
      table: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return ExitCode.Success;
    }
    const [given = ''] = expectPositionals(positionals, ['runId']);
    const runId = runIdOf(given);
    const target = tableTarget(values.table);
    try {
      const store = new DynamoDBRunStore({ tableName: target.tableName, client: target.client });
      const found = await store.getRun(runId).catch((err: unknown) => {
        throw new CommandFailure(explainAwsError(err, target.tableName));
      });
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
    } finally {
      target.client.destroy();
    }
  },
};
