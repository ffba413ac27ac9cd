import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UsageError } from './cli-command.js';

/** Where `baton runs` and `baton table` work: a table on an endpoint. */
export interface TableTarget {
  tableName: string;
  client: DynamoDBClient;
  /** For messages, e.g. `table baton-runs at http://127.0.0.1:8000 (us-east-1)`. */
  describe(): Promise<string>;
}

/**
 * The table to use: `--table`, else `BATON_TABLE_NAME`; the client reads the
 * endpoint, region and credentials the AWS SDK's standard way
 * (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL`, `AWS_REGION`, profiles, …).
 *
 * @throws {UsageError} when neither names a table
 * @example
 * ```ts
 * const target = tableTarget(values.table);
 * try { … } finally { target.client.destroy(); }
 * ```
 */
export function tableTarget(tableFlag: string | undefined): TableTarget {
  const tableName = tableFlag ?? process.env.BATON_TABLE_NAME;
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
  if (name === 'ResourceNotFoundException') {
    return `table '${tableName}' does not exist there (${message}); create it with: baton table create --table ${tableName}`;
  }
  if (/region is missing/i.test(message)) {
    return `${message}: set AWS_REGION (any region works for DynamoDB Local)`;
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return `${message}: configure AWS credentials (for DynamoDB Local any values work, e.g. AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local)`;
  }
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) {
    const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL;
    return `could not reach DynamoDB${endpoint ? ` at ${endpoint}` : ''} (${message}); is it running? (AWS_ENDPOINT_URL_DYNAMODB)`;
  }
  return `${name}: ${message}`;
}
