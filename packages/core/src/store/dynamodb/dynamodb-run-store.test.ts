import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { runStoreContract } from '@baton/testing';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { createTable } from '../table-definition.js';
import { DynamoDBRunStore } from './dynamodb-run-store.js';

describe('store contract: DynamoDBRunStore on DynamoDB Local', () => {
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: inject('dynamodbEndpoint'),
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const store = new DynamoDBRunStore({ tableName: `contract-${randomUUID()}`, client });
  beforeAll(() => createTable(client, store.tableName));
  afterAll(() => client.destroy());
  for (const contractCase of runStoreContract) {
    it(contractCase.name, () => contractCase.run(store));
  }
});
