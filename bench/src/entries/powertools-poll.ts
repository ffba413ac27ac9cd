// Lambda entry of the polling action made idempotent with Powertools (bundled for the cold start).
// Env: IDEMPOTENCY_TABLE_NAME (partition key `id`), AWS_REGION, AWS_ENDPOINT_URL_*.
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createPowertoolsHandler } from '../actions/powertools-handler.js';

export const handler = createPowertoolsHandler({
  codePipelineClient: new CodePipelineClient({}),
  dynamoDBClient: new DynamoDBClient({}),
  tableName: process.env.IDEMPOTENCY_TABLE_NAME ?? 'idempotency',
});
