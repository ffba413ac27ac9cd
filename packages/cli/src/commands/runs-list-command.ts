import { DynamoDBRunStore } from '@baton/core';
import { type CliCommand, CommandFailure, ExitCode, UsageError } from '../cli-command.js';
import { formatRunList } from '../format-run.js';
import {
  expectPositionals,
  HELP_OPTION,
  integerOption,
  parseCommandLine,
  timeOption,
} from '../parse-command-line.js';
import { RunDisplayStatus, type RunView, runViewJson, toRunView } from '../run-view.js';
import { explainAwsError, tableTarget } from '../table-target.js';

const STATUSES = Object.values(RunDisplayStatus);
const DEFAULT_LIMIT = 20;

const HELP = `Usage: baton runs list [--status STATUS] [--stuck] [--job NAME] [--since AGE|TIME]
                      [--limit N] [--table NAME] [--json]

Lists the runs in Baton's DynamoDB table, most recently updated first: status,
step, sequence, attempt, progress, the kind of the last outcome, and notes on
the lease, the next resume time and the last error.

A running run is shown as "stuck" when the invocation that claimed it died
without committing (its lease expired and is still there), or when nothing
has updated it for 20 minutes (CodePipeline has then failed the action); the
list ends with what to do about each. A run is "abandoned" once CodePipeline
no longer accepts its job (its report was refused, or 'baton runs sweep'
found no invocation will ever move it again); the note says why.

Options:
  --status STATUS   only runs that are ${STATUSES.join(', ')}
                    (running = running and not stuck)
  --stuck           only stuck runs (as --status stuck)
  --job NAME        only runs of the job definition NAME
  --since AGE|TIME  only runs updated since: an age (30m, 2h, 7d) or an
                    ISO 8601 time
  --limit N         at most N runs (default ${DEFAULT_LIMIT})
  --table NAME      the table (default: $BATON_TABLE_NAME)
  --json            a JSON array, times as ISO 8601, for scripts
  -h, --help        this help

The endpoint, region and credentials come from the AWS SDK's standard
settings: AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL (e.g. DynamoDB Local),
AWS_REGION, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY. Listing
scans the table.

Exit status: 0 listed (also when there is no run), 1 DynamoDB failed, 2 usage error.
`;

/**
 * `baton runs list`: the runs in Baton's table, most recently updated first,
 * stuck ones flagged with what to do.
 *
 * @example
 * ```ts
 * await runsListCommand.run(['--status', 'stuck', '--json'], io);
 * ```
 */
export const runsListCommand: CliCommand = {
  name: 'runs list',
  summary: "list the runs in Baton's table, flagging stuck ones",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandLine(args, {
      ...HELP_OPTION,
      status: { type: 'string' },
      stuck: { type: 'boolean' },
      job: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
      table: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return ExitCode.Success;
    }
    expectPositionals(positionals, []);
    if (values.status !== undefined && !STATUSES.includes(values.status as RunDisplayStatus)) {
      throw new UsageError(
        `--status must be one of ${STATUSES.join(', ')}, got '${values.status}'`,
      );
    }
    if (values.stuck && values.status !== undefined && values.status !== 'stuck') {
      throw new UsageError(`--stuck lists stuck runs; it cannot go with --status ${values.status}`);
    }
    const status = values.stuck ? RunDisplayStatus.Stuck : values.status;
    const since =
      values.since === undefined ? undefined : timeOption('since', values.since, io.now());
    const limit =
      values.limit === undefined ? DEFAULT_LIMIT : integerOption('limit', values.limit, 1);
    const target = tableTarget(values.table);
    try {
      const store = new DynamoDBRunStore({ tableName: target.tableName, client: target.client });
      const now = io.now();
      const views: RunView[] = [];
      try {
        for await (const run of store.listRuns()) {
          if (values.job !== undefined && run.jobName !== values.job) continue;
          if (since !== undefined && run.updatedAt < since) continue;
          const view = toRunView(run, now);
          if (status === undefined || view.status === status) views.push(view);
        }
      } catch (err) {
        throw new CommandFailure(explainAwsError(err, target.tableName));
      }
      views.sort((a, b) => b.updatedAt - a.updatedAt);
      const shown = views.slice(0, limit);
      if (values.json) {
        io.stdout.write(
          `${JSON.stringify(
            shown.map((view) => runViewJson(view)),
            null,
            2,
          )}\n`,
        );
        return ExitCode.Success;
      }
      const filter = status === undefined ? '' : ` ${status}`;
      const scope = [
        values.job === undefined ? undefined : `of job ${values.job}`,
        since === undefined ? undefined : `updated since ${new Date(since).toISOString()}`,
      ]
        .filter(Boolean)
        .join(', ');
      const more =
        views.length > shown.length
          ? ` (the ${shown.length} latest of ${views.length}; --limit for more)`
          : '';
      io.stdout.write(
        `${await target.describe()}: ${views.length}${filter} run${views.length === 1 ? '' : 's'}${scope ? ` ${scope}` : ''}${more}\n\n`,
      );
      io.stdout.write(`${formatRunList(shown, now)}\n`);
      return ExitCode.Success;
    } finally {
      target.client.destroy();
    }
  },
};
