import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/** Name of the TTL attribute (epoch seconds) on every item Baton writes. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * The exact `CreateTable` input for Baton's table: `pk` (S) + `sk` (S),
 * on-demand billing. TTL on `expiresAt` is switched on by {@link createTable}
 * (it is a separate API call).
 *
 * @example
 * ```ts
 * await client.send(new CreateTableCommand(tableDefinition('baton-runs')));
 * ```
 */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

/** Options of {@link createTable}. */
export interface CreateTableOptions {
  /**
   * Succeed quietly when the table exists already.
   * @default true
   */
  ifNotExists?: boolean;
  /**
   * How long to wait for the table to become ACTIVE, in seconds.
   * @default 60
   */
  waitSeconds?: number;
}

/**
 * Creates Baton's table ({@link tableDefinition}), waits until it is active
 * and enables TTL on `expiresAt`.
 *
 * @returns `true` when the table was created, `false` when it existed already.
 * @example
 * ```ts
 * await createTable(new DynamoDBClient({}), process.env.BATON_TABLE_NAME!);
 * ```
 */
export async function createTable(
  client: DynamoDBClient,
  tableName: string,
  options: CreateTableOptions = {},
): Promise<boolean> {
  const { ifNotExists = true, waitSeconds = 60 } = options;
  let created = true;
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)));
  } catch (err) {
    if (!(ifNotExists && err instanceof ResourceInUseException)) throw err;
    created = false;
  }
  await waitUntilTableExists(
    { client, maxWaitTime: waitSeconds, minDelay: 1, maxDelay: 2 },
    { TableName: tableName },
  );
  await client
    .send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    )
    .catch((err: unknown) => {
      // Enabling TTL that is already on is a ValidationException; harmless.
      if (!(err instanceof Error && /already enabled/i.test(err.message))) throw err;
    });
  return created;
}
