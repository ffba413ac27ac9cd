import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { createTable, RUN_LIST_INDEX, TTL_ATTRIBUTE } from '@baton/core';
import { type CliCommand, ExitCode } from '../cli-command.js';
import { parseCommand } from '../parse-command-line.js';
import { TABLE_OPTION, withTable } from '../table-target.js';

const HELP = `Usage: baton table create [--table NAME]

Creates Baton's DynamoDB table: partition key pk (S), sort key sk (S),
on-demand billing, TTL on ${TTL_ATTRIBUTE}, and the global secondary index
${RUN_LIST_INDEX.name} (${RUN_LIST_INDEX.partitionKey} S, ${RUN_LIST_INDEX.sortKey} N, projecting ${RUN_LIST_INDEX.projected.join(', ')}) that
'baton runs list' queries; waits until it is active. A table that exists
already is kept: TTL is switched on if it was off, and the index is added if
it is missing (DynamoDB fills it from the runs there in the background).

Options:
  --table NAME   the table (default: $BATON_TABLE_NAME)
  -h, --help     this help

The endpoint, region and credentials come from the AWS SDK's standard
settings (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, AWS_REGION, …).
Creating a table in AWS needs dynamodb:CreateTable, DescribeTable,
UpdateTable and UpdateTimeToLive.

Exit status: 0 created or already there, 1 DynamoDB failed, 2 usage error,
130 interrupted.
`;

/**
 * `baton table create`: creates Baton's table (core's `createTable`), or
 * confirms it exists and has what Baton needs.
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
    const parsed = parseCommand(args, { options: TABLE_OPTION, help: HELP, stdout: io.stdout });
    if (!parsed) return ExitCode.Success;
    return withTable(parsed.values.table, io, async ({ target }) => {
      const created = await createTable(target.client, target.tableName);
      const { Table } = await target.client.send(
        new DescribeTableCommand({ TableName: target.tableName }),
      );
      const index = Table?.GlobalSecondaryIndexes?.find(
        (candidate) => candidate.IndexName === RUN_LIST_INDEX.name,
      );
      const indexState =
        index?.IndexStatus === 'ACTIVE'
          ? `index ${RUN_LIST_INDEX.name} active`
          : `index ${RUN_LIST_INDEX.name} ${(index?.IndexStatus ?? 'missing').toLowerCase()} (DynamoDB is filling it; 'baton runs list' scans until it is active)`;
      const where = await target.describe();
      io.stdout.write(
        created
          ? `created ${where}, TTL on ${TTL_ATTRIBUTE}, ${indexState}\n`
          : `${where} exists already; TTL on ${TTL_ATTRIBUTE} is enabled, ${indexState}\n`,
      );
      return ExitCode.Success;
    });
  },
};
