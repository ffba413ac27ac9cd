/**
 * The two seed events of `packages/core/tests/fixtures/` (copied to
 * `integration/fixtures/`), used as the emulator's event template: every job
 * of the action is built from them, with a fresh job id and credentials.
 */
import { readFileSync } from 'node:fs';
import {
  type CodePipelineEmulator,
  type LambdaEventTemplate,
  startCodePipelineEmulator,
} from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptedReports,
  type BatonTestbed,
  createTestbed,
  eventsOf,
  fixtureHandler,
  fixturePath,
} from '../support/baton-action.js';

const seed = (name: string) =>
  JSON.parse(readFileSync(fixturePath(name), 'utf8')) as LambdaEventTemplate;
const jsonParamsSeed = seed('seed-event-json-params.json');
const textParamsSeed = seed('seed-event-text-params.json');

/** The runs in a test's table: a rejected job leaves none. */
async function storedRuns(testbed: BatonTestbed) {
  const runs = [];
  for await (const run of testbed.store.listRuns()) runs.push(run);
  return runs;
}

let emulator: CodePipelineEmulator;

beforeAll(async () => {
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 });
});

afterAll(async () => {
  await emulator.stop();
});

describe('the seed events', () => {
  it('JSON UserParameters {"KEY": "VALUE"}: the job validates them and succeeds', async () => {
    const testbed = await createTestbed('seed-json');
    const result = await emulator.runLambdaAction({
      handler: fixtureHandler('seed-job.ts'),
      eventTemplate: jsonParamsSeed,
      environment: testbed.environment,
    });

    expect(result.status).toBe('Succeeded');
    expect(result.outputVariables).toEqual({
      KEY: 'VALUE',
      inputArtifact: 'my-pipeline-SourceArtifact',
    });
    expect(result.jobs[0]?.event['CodePipeline.job'].data.actionConfiguration).toEqual(
      jsonParamsSeed['CodePipeline.job']?.data?.actionConfiguration,
    );
    expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
      'j1-d1-a1 returned',
    ]);
    expect(acceptedReports(result)).toHaveLength(1);
  });

  it('text UserParameters: ConfigurationError naming the problem, and no Lambda retry', async () => {
    const testbed = await createTestbed('seed-text');
    const result = await emulator.runLambdaAction({
      handler: fixtureHandler('seed-job.ts'),
      eventTemplate: textParamsSeed,
      environment: testbed.environment,
    });

    // The emulator starts an action with a first job: it leaves the template's token out.
    expect(result.jobs[0]?.event['CodePipeline.job'].data.continuationToken).toBeUndefined();
    expect(result.status).toBe('Failed');
    expect(result.reason).toBe('failure-reported');
    expect(result.failureDetails).toMatchObject({
      type: 'ConfigurationError',
      message: expect.stringMatching(
        /^UserParameters is not valid JSON \(.+\); got "some-input-such-as-a-URL"$/,
      ),
    });
    // Reported, not thrown: Lambda has nothing to retry.
    expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
      'j1-d1-a1 returned',
    ]);
    expect(eventsOf(result, 'retry-scheduled')).toEqual([]);
    expect(eventsOf(result, 'invocation-ended')[0]?.value).toMatchObject({ kind: 'rejected' });
    expect(await storedRuns(testbed)).toEqual([]);
  });

  it('the seed’s continuationToken, which Baton never issued: ConfigurationError, no retry', async () => {
    const testbed = await createTestbed('seed-token');
    const result = await emulator.runLambdaAction({
      // Puts the seed's "A continuation token if continuing job" back into the event.
      handler: fixtureHandler('seed-job.ts', 'handlerWithSeedToken'),
      eventTemplate: textParamsSeed,
      environment: testbed.environment,
    });

    expect(result.status).toBe('Failed');
    expect(result.failureDetails).toMatchObject({
      type: 'ConfigurationError',
      // Both problems of the seed's configuration, in one report.
      message: expect.stringMatching(
        /^continuationToken "A continuation token if continuing job" \(38 chars\) is not a Baton token: it was not issued by Baton; also, UserParameters is not valid JSON .*"some-input-such-as-a-URL"$/,
      ),
    });
    expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
      'j1-d1-a1 returned',
    ]);
    expect(eventsOf(result, 'retry-scheduled')).toEqual([]);
    expect(acceptedReports(result).map((r) => r.operation)).toEqual(['PutJobFailureResult']);
    expect(await storedRuns(testbed)).toEqual([]);
  });
});
