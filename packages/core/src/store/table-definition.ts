import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/** Name of the TTL attribute (epoch seconds) on every item Baton writes. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * The global secondary index `baton runs list` queries: partition key
 * `status` (S), sort key `createdAt` (N), projecting `jobName` besides the
 * keys. Only run items have both attributes (history items have neither), so
 * the index holds one entry per run. Its keys and projection change only when
 * a run starts (created `running`) and when it ends (its status changes):
 * the claims and commits in between leave them as they are, and DynamoDB
 * writes to an index only when an item's index keys or projected attributes
 * change, so per-invocation writes cost the index nothing.
 *
 * @example
 * ```ts
 * // An operator's policy: dynamodb:Query on the index.
 * const indexArn = `${tableArn}/index/${RUN_LIST_INDEX.name}`;
 * ```
 */
export const RUN_LIST_INDEX = {
  name: 'runs-by-status',
  partitionKey: 'status',
  sortKey: 'createdAt',
  projected: ['jobName'],
} as const;

/**
 * The exact `CreateTable` input for Baton's table: `pk` (S) + `sk` (S),
 * on-demand billing, and the {@link RUN_LIST_INDEX}. TTL on `expiresAt` is
 * switched on by {@link createTable} (it is a separate API call).
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
      { AttributeName: RUN_LIST_INDEX.partitionKey, AttributeType: 'S' },
      { AttributeName: RUN_LIST_INDEX.sortKey, AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [runListIndex()],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

function runListIndex() {
  return {
    IndexName: RUN_LIST_INDEX.name,
    KeySchema: [
      { AttributeName: RUN_LIST_INDEX.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: RUN_LIST_INDEX.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: {
      ProjectionType: 'INCLUDE' as const,
      NonKeyAttributes: [...RUN_LIST_INDEX.projected],
    },
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
 * and enables TTL on `expiresAt`. A table that exists already without the
 * {@link RUN_LIST_INDEX} gets it (DynamoDB fills it from the runs in the
 * background; `baton runs list` uses it once it is active).
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
  if (!created && (await addRunListIndex(client, tableName))) {
    await waitForRunListIndex(client, tableName, waitSeconds);
  }
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

/**
 * Adds the {@link RUN_LIST_INDEX} to a table that lacks it (a table created
 * before the index existed).
 *
 * @returns whether the index was added now
 */
async function addRunListIndex(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const indexes = Table?.GlobalSecondaryIndexes ?? [];
  if (indexes.some((index) => index.IndexName === RUN_LIST_INDEX.name)) return false;
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: RUN_LIST_INDEX.partitionKey, AttributeType: 'S' },
        { AttributeName: RUN_LIST_INDEX.sortKey, AttributeType: 'N' },
      ],
      GlobalSecondaryIndexUpdates: [{ Create: runListIndex() }],
    }),
  );
  return true;
}

/** Waits (at most `waitSeconds`) until the index is active; a big table may take longer. */
async function waitForRunListIndex(
  client: DynamoDBClient,
  tableName: string,
  waitSeconds: number,
): Promise<void> {
  const giveUpAt = Date.now() + waitSeconds * 1000;
  while (Date.now() < giveUpAt) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const index = Table?.GlobalSecondaryIndexes?.find(
      (candidate) => candidate.IndexName === RUN_LIST_INDEX.name,
    );
    if (index?.IndexStatus === 'ACTIVE' && index.Backfilling !== true) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
