import { fileURLToPath } from 'node:url';
import {
  type CodePipelineEmulator,
  formatTimelineEvent,
  startCodePipelineEmulator,
} from '@baton/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

const handler = `${fileURLToPath(new URL('./fixtures/hello-handler.ts', import.meta.url))}#handler`;

let emulator: CodePipelineEmulator;

beforeAll(async () => {
  // A pipeline minute lasts 60 ms of real time.
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 });
});

afterAll(async () => {
  await emulator.stop();
});

it('polls through continuations to success, despite a throttled report', async () => {
  const result = await emulator.runLambdaAction({
    handler, // runs in a worker thread, like a warm Lambda container
    userParameters: { environment: 'staging' },
    faults: [{ kind: 'throttle', when: { sequence: 2 } }],
    onEvent: (event) => {
      if (process.env.SHOW_TIMELINE) console.log(formatTimelineEvent(event));
    },
  });

  expect(result.status).toBe('Succeeded');
  expect(result.outputVariables).toEqual({ polls: '3' });
  expect(result.jobs.map((job) => job.continuationToken)).toEqual([undefined, '1', '2']);
  // The SDK retried the throttled report by itself: one invocation per job.
  expect(result.invocations.map((invocation) => invocation.invocationId)).toEqual([
    'j1-d1-a1',
    'j2-d1-a1',
    'j3-d1-a1',
  ]);
  expect(result.timeline.filter((event) => event.type === 'fault-injected')).toHaveLength(1);
});
