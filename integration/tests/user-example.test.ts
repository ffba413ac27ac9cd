// The test you would write for your own Baton job: the real handler module in a
// worker thread, DynamoDB Local, and CodePipeline's continuations, a duplicate
// event and a crash, played in about a second.
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable } from '@baton/core';
import { startCodePipelineEmulator } from '@baton/testing';
import { expect, inject, it, onTestFinished } from 'vitest';

// Your module: `export const handler = createLambdaHandler(job)`, production defaults.
const handler = fileURLToPath(new URL('../fixtures/polling-job.ts', import.meta.url));

it('polls to success through five invocations, despite a duplicate and a crash', async () => {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = inject('dynamodbEndpoint'); // DynamoDB Local
  const table = `user-example-${Date.now()}`;
  await createTable(new DynamoDBClient({}), table);
  const emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 }); // 1 min = 60 ms
  onTestFinished(() => emulator.stop());

  const result = await emulator.runLambdaAction({
    handler: `${handler}#handler`,
    environment: { BATON_TABLE_NAME: table },
    userParameters: { polls: 3 }, // three CodePipeline jobs, linked by continuation tokens
    faults: [
      { kind: 'duplicate-delivery', mode: 'sequential', when: { sequence: 2 } },
      { kind: 'cut-off', at: 'report-received', when: { sequence: 3, attempt: 1 } },
    ],
  });

  expect(result.status).toBe('Succeeded');
  expect(result.outputVariables).toEqual({ polls: '3' });
  expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`).sort()).toEqual([
    'j1-d1-a1 returned',
    'j2-d1-a1 returned',
    'j2-d2-a1 returned', // the duplicate: Baton re-sends job 2's committed outcome
    'j3-d1-a1 crashed', // killed while reporting: the report never arrived
    'j3-d1-a2 returned', // Lambda's retry: Baton re-sends the committed success
  ]);
});
