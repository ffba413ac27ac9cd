import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createLambdaHandler,
  createTable,
  defineJob,
  InvalidEventError,
  succeed,
} from '../src/index.js';
import { seedEvent } from './fixtures.js';
import { startTestPipeline, type TestPipeline } from './pipeline.js';

const job = defineJob({
  name: 'env-configured',
  initialState: {},
  firstStep: 'only',
  steps: { only: () => succeed({ outputVariables: { answer: '42' } }) },
});

const context = { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'req' };
let pipeline: TestPipeline;
const saved = { ...process.env };

beforeAll(async () => {
  pipeline = await startTestPipeline();
  // What a Lambda function would have: only the standard variables.
  process.env.AWS_ENDPOINT_URL_CODEPIPELINE = pipeline.endpoint;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = inject('dynamodbEndpoint');
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
});

afterAll(async () => {
  process.env = saved;
  await pipeline.stop();
});

function event() {
  const e = seedEvent();
  e['CodePipeline.job'].id = pipeline.createJob();
  return e;
}

describe('createLambdaHandler', () => {
  it('reads BATON_TABLE_NAME and the standard AWS endpoint variables', async () => {
    const tableName = `lambda-${randomUUID()}`;
    await createTable(new DynamoDBClient({}), tableName);
    process.env.BATON_TABLE_NAME = tableName;
    const lines: string[] = [];
    const handler = createLambdaHandler(job, {
      logger: {
        debug() {},
        info: (m) => lines.push(m),
        warn: (m) => lines.push(m),
        error: (m) => lines.push(m),
      },
    });
    const e = event();
    const result = await handler(e, context);
    expect(result.kind).toBe('reported');
    expect(pipeline.result(e['CodePipeline.job'].id)).toMatchObject({
      kind: 'success',
      outputVariables: { answer: '42' },
    });
  });

  it('fails the job with ConfigurationError when BATON_TABLE_NAME is missing, and returns', async () => {
    delete process.env.BATON_TABLE_NAME;
    const handler = createLambdaHandler(job, {
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const e = event();
    // Reported once; no throw, so Lambda does not retry a job that cannot succeed.
    await expect(handler(e, context)).resolves.toMatchObject({
      kind: 'rejected',
      outcome: { kind: 'fail', failureType: 'ConfigurationError' },
      stepsRun: 0,
    });
    expect(pipeline.result(e['CodePipeline.job'].id)).toMatchObject({
      kind: 'failure',
      failureDetails: {
        type: 'ConfigurationError',
        message: expect.stringMatching(/BATON_TABLE_NAME is not set/),
      },
    });
  });

  it('throws InvalidEventError for an event without a job id', async () => {
    const handler = createLambdaHandler(job, { tableName: 'unused' });
    await expect(handler({ Records: [] }, context)).rejects.toThrow(InvalidEventError);
  });
});
