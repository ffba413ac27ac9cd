import type { TestProject } from 'vitest/node';
import { startDynamoDBLocal } from './packages/testing/src/index.js';

/**
 * One DynamoDB Local for the whole test run: reused from
 * AWS_ENDPOINT_URL_DYNAMODB when set, else a container or the bundled jar.
 * Tests create their own uniquely named tables on it.
 */
export default async function setup(project: TestProject) {
  const ddb = await startDynamoDBLocal();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  project.provide('dynamodbEndpoint', ddb.endpoint);
  console.log(`DynamoDB Local (${ddb.source}) at ${ddb.endpoint}`);
  return async () => {
    await ddb.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}
