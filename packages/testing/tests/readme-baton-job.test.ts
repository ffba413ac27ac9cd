import { fileURLToPath } from 'node:url';
import {
  type CodePipelineEmulator,
  type DynamoDBLocal,
  formatTimelineEvent,
  startCodePipelineEmulator,
  startDynamoDBLocal,
} from '@baton/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

const handler = `${fileURLToPath(new URL('./fixtures/rollout-job.ts', import.meta.url))}#handler`;
const tableName = `rollout-test-${Date.now()}`;

let dynamodb: DynamoDBLocal;
let emulator: CodePipelineEmulator;

beforeAll(async () => {
  // AWS_ENDPOINT_URL_DYNAMODB when set, else a container, else the bundled jar (Java 17+).
  dynamodb = await startDynamoDBLocal({ tableName });
  // A pipeline minute lasts 60 ms of real time.
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 });
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
  await dynamodb?.stop();
});

it('rolls out despite a crash and a duplicate event', async () => {
  const result = await emulator.runLambdaAction({
    handler, // loaded in a worker thread, like a Lambda container
    environment: { BATON_TABLE_NAME: tableName, AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint },
    faults: [
      // The first attempt dies as its report reaches CodePipeline (the report is
      // lost); Lambda retries a minute later and re-sends the committed progress.
      { kind: 'cut-off', at: 'report-received', when: { sequence: 1, attempt: 1 } },
      // Lambda delivers job 2's event a second time.
      { kind: 'duplicate-delivery', mode: 'sequential', when: { sequence: 2 } },
    ],
    failOnUnfiredFaults: true, // a fault that never fired would test nothing
    onEvent: (event) => {
      if (process.env.SHOW_TIMELINE) console.log(formatTimelineEvent(event));
    },
  });

  expect(result.status).toBe('Succeeded');
  expect(result.outputVariables).toMatchObject({ checks: '3' });
  // One job per check: the 30 s waits are skipped, not slept, and each
  // continuation finds its wait over.
  expect(result.jobs.map((job) => job.sequence)).toEqual([1, 2, 3]);
  expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
    'j1-d1-a1 crashed',
    'j1-d1-a2 returned',
    'j2-d1-a1 returned',
    'j2-d2-a1 returned',
    'j3-d1-a1 returned',
  ]);
}, 60_000);
