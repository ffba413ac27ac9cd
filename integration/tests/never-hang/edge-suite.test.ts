/**
 * Never hang: the edge suite (this directory). Each row is a small job written
 * with Baton's public API that once made the handler throw on every delivery
 * (so the pipeline waited for CodePipeline's timeout), or did harm without a
 * hang, played through the CodePipeline emulator with Lambda's retries
 * against DynamoDB Local (`edge-row.ts` says what every row must show). Rows
 * are grouped by theme: `thrown-values.test.ts`, `step-results.test.ts`,
 * `job-versions.test.ts`, `reply-window.test.ts`, and here the function's
 * configuration and the process itself.
 *
 * Rows checked at definition (options out of range) expect `defineJob` or
 * `createLambdaHandler` to throw at module load, naming the option.
 */
import { createLambdaHandler, defineJob, JobDefinitionError, succeed } from '@baton/core';
import {
  type CodePipelineEmulator,
  formatTimelineEvent,
  startCodePipelineEmulator,
} from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestbed, fixtureHandler } from '../../support/baton-action.js';
import { describeEdgeRows, type EdgeRow } from './edge-row.js';

const ROWS: Record<string, EdgeRow> = {
  'a function without BATON_TABLE_NAME reports ConfigurationError once and returns': {
    point: 'missing BATON_TABLE_NAME reports once and returns',
    job: (count) =>
      defineJob({
        name: 'no-table',
        initialState: {},
        firstStep: 'deploy',
        steps: {
          deploy: () => {
            count('deploy');
            return succeed();
          },
        },
      }),
    withoutTable: true,
    expected: {
      status: 'Failed',
      failureType: 'ConfigurationError',
      message: /BATON_TABLE_NAME is not set/,
    },
    userCodeRuns: {},
  },
};

describeEdgeRows('never hang: played rows', ROWS);

let emulator: CodePipelineEmulator;

beforeAll(async () => {
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 5000 });
});

afterAll(async () => {
  await emulator?.stop();
});

/**
 * Plays a job whose step kills its worker container (fixture under
 * `never-hang/`), expecting the crash limit's `JobFailed`; prints the
 * timeline when it ended otherwise.
 */
async function playPoisoned(name: string, fixture: string) {
  const testbed = await createTestbed(name);
  const result = await emulator.runLambdaAction({
    handler: fixtureHandler(`never-hang/${fixture}`),
    environment: testbed.environment,
    functionTimeoutMs: 10_000,
  });
  if (result.reason !== 'failure-reported') {
    console.log(result.timeline.map((e) => formatTimelineEvent(e)).join('\n'));
  }
  expect(result.reason).toBe('failure-reported');
  expect(result.failureDetails?.type).toBe('JobFailed');
  return { testbed, result };
}

describe('never hang: steps that kill the process (worker containers)', () => {
  it("a step that crashes every time fails the job on Lambda's last retry, naming the step", async () => {
    const { testbed, result } = await playPoisoned('poison', 'crashing-handler.ts');
    expect(result.failureDetails?.message).toMatch(
      /^step 'deploy' \(attempt 1\) was started by 2 invocations in a row since .* that ended without committing; none recorded an error, so each process died .* The job fails here \(crashLimit 3\)/,
    );
    // Two crashes; Lambda's second retry reports instead of running the step again.
    expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
      'j1-d1-a1 crashed',
      'j1-d1-a2 crashed',
      'j1-d1-a3 returned',
    ]);
    expect(testbed.executions()).toHaveLength(2);
  });

  it('a step that crashes after another step of its invocation is the one the crash limit names', async () => {
    const { testbed, result } = await playPoisoned('chained-poison', 'chained-crash-handler.ts');
    // The run is committed at 'prepare' (nothing was ever committed); 'deploy' crashed.
    expect(result.failureDetails?.message).toMatch(
      /^step 'deploy' \(attempt 1\) was started by 2 invocations in a row since .* that ended without committing; none recorded an error, .*\(crashLimit 3\)/,
    );
    expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
      'j1-d1-a1 crashed',
      'j1-d1-a2 crashed',
      'j1-d1-a3 returned',
    ]);
    expect(testbed.executions().map((e) => e.step)).toEqual([
      'prepare',
      'deploy',
      'prepare',
      'deploy',
    ]);
  });
});

const base = {
  name: 'edge',
  initialState: {},
  firstStep: 'a' as const,
  steps: { a: () => succeed() },
};

describe('never hang: options checked at definition', () => {
  it.each([
    ['deadlineSeconds of 24 h', { deadlineSeconds: 86_400 }, /deadlineSeconds.*got 86400/],
    ['deadlineSeconds NaN', { deadlineSeconds: Number.NaN }, /deadlineSeconds.*got NaN/],
    ['maxStateBytes of 350 KiB', { maxStateBytes: 350 * 1024 }, /maxStateBytes.*400 KB/],
    ['retry.maximumAttempts Infinity', { retry: { maximumAttempts: Infinity } }, /maximumAttempts/],
    ['maxInlineWaitSeconds over 15 min', { maxInlineWaitSeconds: 3600 }, /maxInlineWaitSeconds/],
  ])('defineJob refuses %s', (_, options, message) => {
    expect(() => defineJob({ ...base, ...options })).toThrow(JobDefinitionError);
    expect(() => defineJob({ ...base, ...options })).toThrow(message);
  });

  it.each([
    ['retentionDays 0', { retentionDays: 0 }, /retentionDays.*got 0/],
    ['safetyMarginMs -1', { safetyMarginMs: -1 }, /safetyMarginMs/],
  ])('createLambdaHandler refuses %s', (_, options, message) => {
    expect(() => createLambdaHandler(defineJob(base), { tableName: 't', ...options })).toThrow(
      message,
    );
  });
});
