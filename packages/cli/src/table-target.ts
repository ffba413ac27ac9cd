import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBRunStore } from '@baton/core';
import { type CliIo, CommandFailure, UsageError } from './cli-command.js';
import { untilAborted } from './interruption.js';

/** The table `baton local` plays actions on, and `baton runs` reads by default. */
export const LOCAL_TABLE = 'baton-local';

/** The `--table` option of the commands that work on a table. */
export const TABLE_OPTION = { table: { type: 'string' } } as const;

/** Where `baton runs` and `baton table` work: a table on an endpoint. */
export interface TableTarget {
  tableName: string;
  client: DynamoDBClient;
  /** For messages, e.g. `table baton-runs at http://127.0.0.1:8000 (us-east-1)`. */
  describe(): Promise<string>;
}

/**
 * The table to use: `--table`, else `BATON_TABLE_NAME`, else `fallback`; the
 * client reads the endpoint, region and credentials the AWS SDK's standard
 * way (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL`, `AWS_REGION`, profiles, …).
 *
 * @throws {UsageError} when none names a table
 * @example
 * ```ts
 * const target = tableTarget(values.table);
 * try { … } finally { target.client.destroy(); }
 * ```
 */
export function tableTarget(tableFlag: string | undefined, fallback?: string): TableTarget {
  const tableName = tableFlag ?? process.env.BATON_TABLE_NAME ?? fallback;
  if (tableName === undefined || tableName.trim() === '') {
    throw new UsageError('no table given: pass --table NAME or set BATON_TABLE_NAME');
  }
  const client = new DynamoDBClient({});
  return {
    tableName,
    client,
    describe: async () => {
      const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL;
      const region = await client.config.region().catch(() => undefined);
      const where = endpoint ?? 'DynamoDB';
      return `table ${tableName} at ${where}${region ? ` (${region})` : ''}`;
    },
  };
}

/**
 * An AWS error as one line that says what to do about it.
 *
 * @example
 * ```ts
 * catch (err) { io.stderr.write(`baton: ${explainAwsError(err, target.tableName)}\n`); }
 * ```
 */
export function explainAwsError(err: unknown, tableName: string): string {
  const name = err instanceof Error ? err.name : 'Error';
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string } | undefined)?.code;
  if (name === 'RunListIndexMissingError') {
    return `${message}; add it with: baton table create --table ${tableName}`;
  }
  if (name === 'ResourceNotFoundException') {
    return `table '${tableName}' does not exist there (${message}); create it with: baton table create --table ${tableName}`;
  }
  if (/region is missing/i.test(message)) {
    return `${message}: set AWS_REGION (any region works for DynamoDB Local)`;
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return `${message}: configure AWS credentials (for DynamoDB Local any values work, e.g. AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local)`;
  }
  const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL;
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) {
    return endpoint
      ? `could not reach DynamoDB at ${endpoint} (${message}): is it running? Start one that stays with 'baton local --keep', or point AWS_ENDPOINT_URL_DYNAMODB at yours`
      : `could not reach DynamoDB (${message}); for DynamoDB Local set AWS_ENDPOINT_URL_DYNAMODB (e.g. http://127.0.0.1:8000)`;
  }
  if (code === 'ENOTFOUND' || /ENOTFOUND|getaddrinfo/.test(message)) {
    return endpoint
      ? `unknown host in ${endpoint} (${message}): check AWS_ENDPOINT_URL_DYNAMODB`
      : `could not resolve DynamoDB's host (${message}): for DynamoDB Local (e.g. the one 'baton local --keep' leaves running) set AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:<port>; for AWS check AWS_REGION and your network`;
  }
  return `${name}: ${message}`;
}

/** What a command does with its table: the target and Baton's store on it. */
export interface OpenTable {
  target: TableTarget;
  store: DynamoDBRunStore;
}

/**
 * Runs `work` on the table `--table` (or `BATON_TABLE_NAME`, or `fallback`)
 * names: AWS errors become a {@link CommandFailure} that says what to do,
 * Ctrl-C (`io.signal`) ends the wait at once, and the client is closed after.
 *
 * @throws {UsageError} when no table is named
 * @throws {CommandFailure} when DynamoDB fails
 * @example
 * ```ts
 * return withTable(values.table, io, async ({ store }) => { … return ExitCode.Success; });
 * ```
 */
export async function withTable<T>(
  tableFlag: string | undefined,
  io: Pick<CliIo, 'signal'>,
  work: (table: OpenTable) => Promise<T>,
  fallback?: string,
): Promise<T> {
  const target = tableTarget(tableFlag, fallback);
  const store = new DynamoDBRunStore({ tableName: target.tableName, client: target.client });
  try {
    return await untilAborted(work({ target, store }), io.signal);
  } catch (err) {
    if (io.signal?.aborted || err instanceof CommandFailure || err instanceof UsageError) throw err;
    throw new CommandFailure(explainAwsError(awsCauseOf(err), target.tableName), { cause: err });
  } finally {
    // Also aborts requests still in flight, so nothing keeps the process alive.
    target.client.destroy();
  }
}

/** The AWS error behind one of Baton's store errors, which wrap it as `cause`. */
function awsCauseOf(err: unknown): unknown {
  return err instanceof Error && err.name === 'StoreError' && err.cause instanceof Error
    ? err.cause
    : err;
}
