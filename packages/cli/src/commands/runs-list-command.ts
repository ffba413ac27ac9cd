import { RUN_LIST_INDEX } from '@baton/core';
import { type CliCommand, ExitCode, UsageError } from '../cli-command.js';
import { formatRunList } from '../format-run.js';
import { integerOption, parseCommand, timeOption } from '../parse-command-line.js';
import { listRuns, type RunListing, SCAN_BOUND } from '../run-listing.js';
import { RunDisplayStatus, runViewJson } from '../run-view.js';
import { LOCAL_TABLE, TABLE_OPTION, withTable } from '../table-target.js';

const STATUSES = Object.values(RunDisplayStatus);
const DEFAULT_LIMIT = 20;

const HELP = `Usage: baton runs list [--status STATUS] [--stuck] [--job NAME] [--since AGE|TIME]
                      [--limit N] [--table NAME] [--json]

Lists the runs in Baton's DynamoDB table, newest first: status, step, job
number, attempt, progress, the kind of the last outcome, and notes on the
lease, the next resume time and the last error.

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
  --since AGE|TIME  only runs started since: an age (30m, 2h, 7d) or an
                    ISO 8601 time
  --limit N         at most N runs (default ${DEFAULT_LIMIT})
  --table NAME      the table (default: $BATON_TABLE_NAME, else ${LOCAL_TABLE},
                    the table 'baton local' uses)
  --json            a JSON array, times as ISO 8601, for scripts
  -h, --help        this help

The endpoint, region and credentials come from the AWS SDK's standard
settings: AWS_ENDPOINT_URL_DYNAMODB or AWS_ENDPOINT_URL (e.g. DynamoDB Local),
AWS_REGION, AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.

Listing queries the table's ${RUN_LIST_INDEX.name} index page by page and stops
at --limit, reading only the fields shown (dynamodb:Query on the index,
dynamodb:BatchGetItem on the table). A table without the index (created
before it existed) is scanned instead, at most ${SCAN_BOUND} runs, with a note;
'baton table create' adds the index to it.

Exit status: 0 listed (also when there is no run), 1 DynamoDB failed,
2 usage error, 130 interrupted.
`;

/**
 * `baton runs list`: the newest runs in Baton's table, stuck ones flagged
 * with what to do.
 *
 * @example
 * ```ts
 * await runsListCommand.run(['--status', 'stuck', '--json'], io);
 * ```
 */
export const runsListCommand: CliCommand = {
  name: 'runs list',
  summary: "list the newest runs in Baton's table, flagging stuck ones",
  help: HELP,
  async run(args, io) {
    const parsed = parseCommand(args, {
      options: {
        ...TABLE_OPTION,
        status: { type: 'string' },
        stuck: { type: 'boolean' },
        job: { type: 'string' },
        since: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
      help: HELP,
      stdout: io.stdout,
    });
    if (!parsed) return ExitCode.Success;
    const { values } = parsed;
    if (values.status !== undefined && !STATUSES.includes(values.status as RunDisplayStatus)) {
      throw new UsageError(
        `--status must be one of ${STATUSES.join(', ')}, got '${values.status}'`,
      );
    }
    if (values.stuck && values.status !== undefined && values.status !== 'stuck') {
      throw new UsageError(`--stuck lists stuck runs; it cannot go with --status ${values.status}`);
    }
    const status = values.stuck
      ? RunDisplayStatus.Stuck
      : (values.status as RunDisplayStatus | undefined);
    const since =
      values.since === undefined ? undefined : timeOption('since', values.since, io.now());
    const limit =
      values.limit === undefined ? DEFAULT_LIMIT : integerOption('limit', values.limit, 1);
    return withTable(
      values.table,
      io,
      async ({ target, store }) => {
        const now = io.now();
        const listing = await listRuns(
          store,
          {
            ...(status === undefined ? {} : { status }),
            ...(values.job === undefined ? {} : { jobName: values.job }),
            ...(since === undefined ? {} : { since }),
            limit,
          },
          now,
        );
        if (values.json) {
          if (listing.scan) io.stderr.write(`${scanNote(listing.scan, target.tableName)}\n`);
          io.stdout.write(
            `${JSON.stringify(
              listing.views.map((view) => runViewJson(view)),
              null,
              2,
            )}\n`,
          );
          return ExitCode.Success;
        }
        const count = listing.views.length;
        const scope = [
          values.job === undefined ? undefined : `of job ${values.job}`,
          since === undefined ? undefined : `started since ${new Date(since).toISOString()}`,
        ]
          .filter(Boolean)
          .join(', ');
        const more = listing.more ? ` (the ${count} newest; --limit for more)` : '';
        io.stdout.write(
          `${await target.describe()}: ${count}${status === undefined ? '' : ` ${status}`} run${count === 1 ? '' : 's'}${scope ? ` ${scope}` : ''}${more}\n`,
        );
        if (listing.scan) io.stdout.write(`${scanNote(listing.scan, target.tableName)}\n`);
        io.stdout.write(`\n${formatRunList(listing.views, now)}\n`);
        return ExitCode.Success;
      },
      LOCAL_TABLE,
    );
  },
};

function scanNote(scan: NonNullable<RunListing['scan']>, tableName: string): string {
  const what = scan.complete
    ? `scanned the whole table instead (${scan.read} runs)`
    : `scanned the first ${scan.read} runs in table order instead, so newer runs may be missing`;
  return `note: ${scan.reason}; ${what}. Add the index with: baton table create --table ${tableName}`;
}
