import { createTable, TTL_ATTRIBUTE } from '@baton/core';
import { type CliCommand, CommandFailure, ExitCode } from '../cli-command.js';
import { expectPositionals, HELP_OPTION, parseCommandLine } from '../parse-command-line.js';
import { explainAwsError, tableTarget } from '../table-target.js';

const HELP = `Usage: baton table create [--table NAME]

Creates Baton's DynamoDB table: partition key pk (S), sort key sk (S),
on-demand billing, TTL on ${TTL_ATTRIBUTE}; waits until it is active. A table
that exists already is left as it is (TTL is switched on if it was off).

Options:
  --table NAME   the table (default: $BATON_TABLE_NAME)
  -h, --help     this help

The endpoint, region and credentials come from the AWS SDK's standard
settings (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, AWS_REGION, …).
Creating a table in AWS needs dynamodb:CreateTable, DescribeTable and
UpdateTimeToLive.

Exit status: 0 created or already there, 1 DynamoDB failed, 2 usage error.
`;

/**
 * `baton table create`: creates Baton's table (core's `createTable`), or
 * confirms it exists.
 *
 * @example
 * ```ts
 * await tableCreateCommand.run(['--table', 'baton-runs'], io);
 * ```
 */
export const tableCreateCommand: CliCommand = {
  name: 'table create',
  summary: "create Baton's DynamoDB table (idempotent)",
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandLine(args, {
      ...HELP_OPTION,
      table: { type: 'string' },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return ExitCode.Success;
    }
    expectPositionals(positionals, []);
    const target = tableTarget(values.table);
    try {
      const created = await createTable(target.client, target.tableName).catch((err: unknown) => {
        throw new CommandFailure(explainAwsError(err, target.tableName));
      });
      const where = await target.describe();
      io.stdout.write(
        created
          ? `created ${where}, TTL on ${TTL_ATTRIBUTE}\n`
          : `${where} exists already; TTL on ${TTL_ATTRIBUTE} is enabled\n`,
      );
      return ExitCode.Success;
    } finally {
      target.client.destroy();
    }
  },
};
