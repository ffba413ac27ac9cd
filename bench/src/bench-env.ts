import { randomUUID } from 'node:crypto';
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { createTable, tableDefinition } from '@baton/core';
import { type DynamoDBLocal, LOCAL_AWS_SETTINGS, startDynamoDBLocal } from '@baton/testing';
import type { BenchConfig } from './config.js';
import { type Fixtures, startFixtures } from './fixtures/fixtures.js';

/** What every section runs against: one DynamoDB Local, one fixture process, the tables. */
export interface BenchEnv {
  config: BenchConfig;
  ddb: DynamoDBLocal;
  fixtures: Fixtures;
  /** Baton's run table. */
  batonTable: string;
  /**
   * Baton's run table without its run-list index (`RUN_LIST_INDEX`): what
   * DynamoDB Local's upkeep of that index costs each write.
   */
  batonTableWithoutIndex: string;
  /** Powertools' idempotency table (partition key `id`). */
  powertoolsTable: string;
  stop(): Promise<void>;
}

export async function startBenchEnv(config: BenchConfig): Promise<BenchEnv> {
  const ddb = await startDynamoDBLocal();
  let fixtures: Fixtures | undefined;
  try {
    fixtures = await startFixtures();
    const suffix = randomUUID().slice(0, 8);
    const batonTable = `bench-baton-${suffix}`;
    const powertoolsTable = `bench-powertools-${suffix}`;
    await createTable(ddb.client, batonTable);
    const batonTableWithoutIndex = `bench-baton-no-index-${suffix}`;
    await ddb.client.send(
      new CreateTableCommand(tableDefinitionWithoutIndex(batonTableWithoutIndex)),
    );
    // The layout Powertools documents: partition key `id`, on-demand.
    await ddb.client.send(
      new CreateTableCommand({
        TableName: powertoolsTable,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const started = fixtures;
    return {
      config,
      ddb,
      fixtures: started,
      batonTable,
      batonTableWithoutIndex,
      powertoolsTable,
      stop: async () => {
        await started.stop();
        await ddb.stop();
      },
    };
  } catch (err) {
    await fixtures?.stop();
    await ddb.stop();
    throw err;
  }
}

/**
 * Baton's table definition without its run-list index (`RUN_LIST_INDEX`): what
 * DynamoDB Local's upkeep of that index costs shows against it.
 */
export function tableDefinitionWithoutIndex(tableName: string): CreateTableCommandInput {
  const { GlobalSecondaryIndexes: _index, ...definition } = tableDefinition(tableName);
  return {
    ...definition,
    // Only the key attributes: the index's are not declared without it.
    AttributeDefinitions: definition.AttributeDefinitions?.filter((a) =>
      definition.KeySchema?.some((k) => k.AttributeName === a.AttributeName),
    ),
  };
}

/** SDK settings of every client: the local endpoints accept any credentials. */
export function clientSettings(endpoint: string) {
  return { ...LOCAL_AWS_SETTINGS, endpoint };
}
