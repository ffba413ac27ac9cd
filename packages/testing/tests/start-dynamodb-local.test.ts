import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { startDynamoDBLocal } from '../src/index.js';

describe('startDynamoDBLocal', () => {
  it('reuses the endpoint from the environment and creates Baton table with TTL', async () => {
    const endpoint = inject('dynamodbEndpoint');
    const tableName = `harness-${Date.now()}`;
    const ddb = await startDynamoDBLocal({
      sources: ['environment'],
      env: { AWS_ENDPOINT_URL_DYNAMODB: endpoint },
      tableName,
    });
    try {
      expect(ddb.source).toBe('environment');
      expect(ddb.endpoint).toBe(endpoint);
      const table = await ddb.client.send(new DescribeTableCommand({ TableName: tableName }));
      expect(table.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
      const ttl = await ddb.client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
      expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
      // Creating it again is a no-op, not an error.
      await ddb.createTable(tableName);
    } finally {
      await ddb.stop();
    }
  });

  it('starts the bundled jar on a free port and stops it', async () => {
    const ddb = await startDynamoDBLocal({ sources: ['jar'], tableName: 'jar-table' });
    try {
      expect(ddb.source).toBe('jar');
      const table = await ddb.client.send(new DescribeTableCommand({ TableName: 'jar-table' }));
      expect(table.Table?.KeySchema).toEqual([
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ]);
      const ttl = await ddb.client.send(new DescribeTimeToLiveCommand({ TableName: 'jar-table' }));
      expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    } finally {
      await ddb.stop();
    }
    await expect(fetch(ddb.endpoint)).rejects.toThrow();
  });

  it('names every way it tried when none works', async () => {
    await expect(startDynamoDBLocal({ sources: ['environment'], env: {} })).rejects.toThrow(
      /AWS_ENDPOINT_URL_DYNAMODB is not set[\s\S]*Java 17\+/,
    );
  });
});
