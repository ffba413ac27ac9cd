import { randomUUID } from 'node:crypto';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type Clock, createLambdaHandler, createTable } from '@baton/core';
import { startDeploymentService } from '@baton/testing';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { deployAndWaitJob } from '../src/index.js';
import { type FakeCodePipeline, jobEvent, startFakeCodePipeline } from './fake-codepipeline.js';
import { startTestServer } from './test-server.js';

const region = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const context = { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'req-1' };

let dynamodb: DynamoDBClient;
let tableName: string;
beforeAll(async () => {
  dynamodb = new DynamoDBClient({ region, credentials, endpoint: inject('dynamodbEndpoint') });
  tableName = `handlers-${randomUUID()}`;
  await createTable(dynamodb, tableName);
});

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function fakePipeline(): Promise<FakeCodePipeline> {
  const pipeline = await startFakeCodePipeline();
  stops.push(pipeline.stop);
  return pipeline;
}

describe('deploy-and-wait behind createLambdaHandler', () => {
  it('runs across continuations to success, and a redelivered first event starts nothing', async () => {
    const service = await startDeploymentService({ stepsToSucceed: 3 });
    stops.push(service.stop);
    const pipeline = await fakePipeline();
    // The engine's clock: waits longer than maxInlineWaitSeconds go through a
    // continuation, and moving this clock ends them without real sleeping.
    let time = Date.now();
    const clock: Clock = {
      now: () => time,
      sleep: async (ms) => {
        time += ms;
      },
    };
    const logs: string[] = [];
    const log = (message: string, attributes?: Record<string, unknown>) => {
      logs.push(JSON.stringify({ message, ...attributes }));
    };
    const handler = createLambdaHandler(deployAndWaitJob, {
      tableName,
      dynamoDBClient: dynamodb,
      codePipelineClient: new CodePipelineClient({
        region,
        credentials,
        endpoint: pipeline.endpoint,
        maxAttempts: 1,
      }),
      clock,
      logger: { debug: log, info: log, warn: log, error: log },
    });
    const userParameters = JSON.stringify({
      deployUrl: `${service.url}/deployments`,
      statusUrl: `${service.url}/deployments/{id}`,
      deployBody: { service: 'web', version: '2.0.0' },
      intervalSeconds: 60,
    });

    const first = jobEvent(`job-${randomUUID()}`, userParameters);
    let event = first;
    for (let invocation = 1; invocation <= 10; invocation += 1) {
      await handler(event, context);
      const last = pipeline.calls.at(-1);
      const token = last?.body.continuationToken;
      if (last?.operation !== 'PutJobSuccessResult' || token === undefined) break;
      time += 60_000;
      event = jobEvent(`job-${randomUUID()}`, userParameters, token);
    }

    const deploymentId = service.deployments()[0]?.id;
    const inProgress = pipeline.calls.filter((call) => call.body.continuationToken !== undefined);
    expect(inProgress.length).toBeGreaterThanOrEqual(2);
    for (const call of inProgress) {
      expect(call.body.executionDetails?.summary).toMatch(
        /^poll \d: HTTP 200, status="IN_PROGRESS"$/,
      );
    }
    // Progress comes from the service's `progress` field (3 stages: 33, 66).
    expect(inProgress.slice(-2).map((call) => call.body.executionDetails?.percentComplete)).toEqual(
      [33, 66],
    );
    expect(pipeline.calls.at(-1)).toEqual({
      operation: 'PutJobSuccessResult',
      body: expect.objectContaining({
        outputVariables: {
          deploymentId,
          httpStatus: '200',
          matchedValue: '"SUCCEEDED"',
          polls: '3',
        },
      }),
    });
    expect(service.starts).toMatchObject({ created: 1, duplicates: 0 });

    // CodePipeline (or Lambda's async retry) delivers the first event again:
    // the committed start step does not run again, so nothing is deployed twice.
    const reports = pipeline.calls.length;
    await handler(first, context);
    expect(service.starts).toMatchObject({ created: 1, duplicates: 0 });
    expect(service.deployments()).toHaveLength(1);
    expect(pipeline.calls.length).toBeLessThanOrEqual(reports + 1);

    expect(logs.join('\n')).not.toMatch(/SECRET-artifact-key|SESSION-artifact-token/);
  });
});

describe('Lambda entry modules', () => {
  it('wait-for-http entry reads its table and endpoints from the environment', async () => {
    const pipeline = await fakePipeline();
    const target = await startTestServer(() => ({ status: 200, body: { status: 'UP' } }));
    stops.push(target.stop);
    const saved = { ...process.env };
    Object.assign(process.env, {
      BATON_TABLE_NAME: tableName,
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
      AWS_ENDPOINT_URL_CODEPIPELINE: pipeline.endpoint,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_LAMBDA_LOG_LEVEL: 'ERROR',
    });
    try {
      const { handler } = await import('../src/wait-for-http.js');
      await handler(
        jobEvent(
          `job-${randomUUID()}`,
          JSON.stringify({
            url: `${target.url}/health`,
            successWhen: { path: 'status', equals: 'UP' },
          }),
        ),
        context,
      );
      await handler(jobEvent(`job-${randomUUID()}`, '{"successWhen":{"path":"status"}}'), context);
    } finally {
      process.env = saved;
    }
    expect(pipeline.calls).toEqual([
      {
        operation: 'PutJobSuccessResult',
        body: expect.objectContaining({
          outputVariables: { httpStatus: '200', matchedValue: '"UP"', polls: '1' },
        }),
      },
      {
        operation: 'PutJobFailureResult',
        body: expect.objectContaining({
          failureDetails: expect.objectContaining({
            type: 'ConfigurationError',
            message: expect.stringMatching(
              /url is required.*successWhen needs exactly one of "equals" or "in"/,
            ),
          }),
        }),
      },
    ]);
  });

  it('deploy-and-wait entry exports a handler', async () => {
    const entry = await import('../src/deploy-and-wait.js');
    expect(entry.handler).toBeTypeOf('function');
  });
});
