import { fileURLToPath } from 'node:url';
import {
  type CodePipelineEmulator,
  type DeploymentService,
  type DynamoDBLocal,
  formatTimelineEvent,
  startCodePipelineEmulator,
  startDeploymentService,
  startDynamoDBLocal,
} from '@baton/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The module as Lambda loads it: `handler` is createLambdaHandler(job), production defaults.
const handler = `${fileURLToPath(new URL('../src/deploy-job.ts', import.meta.url))}#handler`;
const tableName = `deploy-job-test-${Date.now()}`;

let dynamodb: DynamoDBLocal;
let emulator: CodePipelineEmulator;
let api: DeploymentService;

beforeAll(async () => {
  // AWS_ENDPOINT_URL_DYNAMODB when set, else a container, else the bundled jar (Java 17+).
  dynamodb = await startDynamoDBLocal({ tableName });
  // A pipeline minute lasts 60 ms of real time.
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 });
  // The first start request is answered only after 5 s, so the crash below hits it in flight.
  api = await startDeploymentService({ stepsToSucceed: 3, holdFirstStartMs: 5_000 });
}, 120_000); // starting DynamoDB Local from the jar takes seconds: more than vitest's 5 s default

afterAll(async () => {
  await api?.stop();
  await emulator?.stop();
  await dynamodb?.stop();
});

it('deploys once despite a crash and a duplicate event', async () => {
  const result = await emulator.runLambdaAction({
    handler, // loaded in a worker thread, like a Lambda container
    userParameters: { apiUrl: api.url, version: '1.4.2' },
    environment: { BATON_TABLE_NAME: tableName, AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint },
    faults: [
      // The first invocation dies 1 s in, while its start request waits for an answer.
      { kind: 'cut-off', at: { afterMs: 1_000 }, when: { sequence: 1, attempt: 1 } },
      // Lambda delivers job 2's event a second time.
      { kind: 'duplicate-delivery', mode: 'sequential', when: { sequence: 2 } },
    ],
    failOnUnfiredFaults: true, // a fault that never fired would prove nothing
    onEvent: (event) => {
      if (process.env.SHOW_TIMELINE) console.log(formatTimelineEvent(event));
    },
  });

  expect(result.status).toBe('Succeeded');
  expect(result.outputVariables).toEqual({ deploymentId: api.deployments()[0]?.id });
  // Lambda's retry started the deployment again with the same Idempotency-Key:
  // the API answered with the one it had, so exactly one deployment ran.
  expect(api.starts).toMatchObject({ created: 1, duplicates: 1 });
  // Three status checks 30 s apart: a 30 s wait does not fit in the emulated
  // function's 30 s timeout, so each check gets a CodePipeline job of its own.
  expect(result.jobs.map((job) => job.sequence)).toEqual([1, 2, 3]);
  expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
    'j1-d1-a1 crashed',
    'j1-d1-a2 returned',
    'j2-d1-a1 returned',
    'j2-d2-a1 returned', // the duplicate: job 2 is committed, so Baton runs no step
    'j3-d1-a1 returned',
  ]);
}, 60_000); // a cold start, a crash and Lambda's retry: seconds, more than vitest's 5 s default
