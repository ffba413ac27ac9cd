/**
 * Never hang: the edge suite. Each row is a small job written with Baton's
 * public API that once made the handler throw on every delivery (so the
 * pipeline waited for CodePipeline's timeout), or did harm without a hang. It
 * is played through the CodePipeline emulator with Lambda's retries against
 * DynamoDB Local, and must end with the expected report, with user code run
 * the expected number of times. Whatever the row, the action ends with a
 * report (no row may hang), no deterministic error reaches Lambda's retry (no
 * invocation throws), and no 10-character piece of any job's artifact
 * credentials appears in the logs, the table or CodePipeline.
 *
 * Rows checked at definition (options out of range) expect `defineJob` or
 * `createLambdaHandler` to throw at module load, naming the option.
 */
import {
  createLambdaHandler,
  defineJob,
  JobDefinitionError,
  type LambdaHandlerOptions,
  succeed,
} from '@baton/core';
import {
  type CodePipelineEmulator,
  formatTimelineEvent,
  startCodePipelineEmulator,
} from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_JOBS } from '../../fixtures/never-hang/edge-jobs.js';
import { createTestbed, dynamoDB, fixtureHandler } from '../../support/baton-action.js';
import { type PlayOptions, playEdgeRow, secretPiecesIn } from './play-edge-row.js';

/** One row: the input, the expected report, and how often user code ran. */
interface EdgeRow {
  /** The issue's point this row shows. */
  point: string;
  job: PlayOptions['job'];
  withoutTable?: boolean;
  handlerOptions?: Partial<LambdaHandlerOptions>;
  /** @default 5000 */
  functionTimeoutMs?: number;
  expected: {
    status: 'Succeeded' | 'Failed';
    failureType?: string;
    message?: RegExp;
    summary?: RegExp;
  };
  /** User code runs by step (`initialState` included). */
  userCodeRuns: Record<string, number>;
  /** Extra checks on what was played. */
  check?: (played: Awaited<ReturnType<typeof playEdgeRow>>) => void;
}

/** A high surrogate not followed by a low one, or a low one without a high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const ROWS: Record<string, EdgeRow> = {
  'a step error whose cause has a cycle fails the job after its retries': {
    point: 'logging can never throw (cycles)',
    job: EDGE_JOBS['cause-cycle'],
    expected: {
      status: 'Failed',
      failureType: 'JobFailed',
      message: /step 'deploy' failed after 2 attempts: Error: deployment refused/,
    },
    userCodeRuns: { deploy: 2 },
  },
  'initialState throwing undefined fails the job': {
    point: 'thrown non-Errors (throw undefined)',
    job: (count) => EDGE_JOBS['initial-state-throws'](count, undefined),
    expected: {
      status: 'Failed',
      failureType: 'JobFailed',
      message: /undefined was thrown instead of an Error/,
    },
    userCodeRuns: { initialState: 1 },
  },
  'initialState throwing null fails the job': {
    point: 'thrown non-Errors (throw null)',
    job: (count) => EDGE_JOBS['initial-state-throws'](count, null),
    expected: {
      status: 'Failed',
      failureType: 'JobFailed',
      message: /null was thrown instead of an Error/,
    },
    userCodeRuns: { initialState: 1 },
  },
  "throw { name: 'Fatal' } with nonRetryableErrors ['Fatal'] fails at once, message kept": {
    point: 'thrown non-Errors: name, message, nonRetryableErrors',
    job: EDGE_JOBS['non-error-fatal'],
    expected: {
      status: 'Failed',
      failureType: 'JobFailed',
      message: /non-retryable error: Fatal: quota exceeded in account 123/,
    },
    userCodeRuns: { deploy: 1 },
  },
  'a thrown string holding pieces of the credentials leaks no 10-character piece': {
    point: 'secrets: no 10-character piece of a credential in logs, table or CodePipeline',
    job: (count) => EDGE_JOBS['leaky-throw'](count, 'cut'),
    expected: { status: 'Failed', failureType: 'JobFailed', message: /gave up with \[REDACTED\]/ },
    userCodeRuns: { deploy: 3 },
  },
  'wait({ seconds: Number.MAX_SAFE_INTEGER }) fails the run at once, saying why': {
    point: 'values a step returns checked before any write; a wait past the deadline fails at once',
    job: EDGE_JOBS['endless-wait'],
    expected: {
      status: 'Failed',
      failureType: 'JobFailed',
      message:
        /returned wait\(\) with seconds=9007199254740991, which would end after the run's deadline/,
    },
    userCodeRuns: { poll: 1 },
  },
  'a step started late and cut off by the budget is handed on as the same attempt': {
    point: 'a cut-off step is handed on as the same attempt',
    job: (count) => EDGE_JOBS['late-start'](count, 5000),
    functionTimeoutMs: 8000,
    expected: { status: 'Succeeded' },
    userCodeRuns: { prepare: 1, deploy: 2 },
    check: (played) => expect(played.result.outputVariables).toEqual({ deployed: 'yes' }),
  },
  "a step that outlasts a whole invocation's budget spends its attempt, and says so": {
    point: 'a cut-off counts as an attempt only with a whole budget; the message says why',
    job: EDGE_JOBS['too-slow'],
    expected: {
      status: 'Failed',
      failureType: 'JobFailed',
      message:
        /step 'slow' failed after 1 attempt: StepTimeoutError: .*needs more time than the function's timeout gives/,
    },
    userCodeRuns: { slow: 1 },
  },
  'the largest state and output variables fit in the run item': {
    point: "maxStateBytes capped so state + the largest outcome fit DynamoDB's item",
    job: EDGE_JOBS['largest-run'],
    expected: { status: 'Succeeded' },
    userCodeRuns: { grow: 1, finish: 1 },
    check: (played) => expect(played.result.outputVariables.a).toHaveLength(61_000),
  },
  'thrown objects holding the credentials, whole and encoded, leak no piece': {
    point: 'secrets: redacted before truncation, encodings, inside thrown non-Errors',
    job: (count) => EDGE_JOBS['leaky-throw'](count, 'whole'),
    expected: { status: 'Failed', failureType: 'JobFailed', message: /gave up with \[REDACTED\]/ },
    userCodeRuns: { deploy: 3 },
    check: (played) => {
      expect(played.written).toMatch(/AccessDenied: x{100}/);
      expect(played.written).toContain('[REDACTED]');
    },
  },
  'values JSON cannot hold are logged, and the job succeeds': {
    point: 'logging can never throw (BigInt, getters, toJSON, huge values)',
    job: EDGE_JOBS['unloggable-values'],
    expected: { status: 'Succeeded' },
    userCodeRuns: { deploy: 1 },
    check: (played) => {
      expect(played.result.outputVariables).toEqual({ logged: 'yes' });
      expect(played.written).toContain(String(2n ** 70n));
      expect(played.written).toMatch(/getter threw: Error: getter/);
    },
  },
  'summaries of emoji are cut without splitting a surrogate pair': {
    point: 'fitText never cuts a surrogate pair',
    job: EDGE_JOBS['emoji-summary'],
    expected: { status: 'Succeeded', summary: /^y(🚀)+…$/u },
    userCodeRuns: { poll: 2, finish: 1 },
    check: (played) => {
      const summaries = played.result.timeline.flatMap((event) =>
        event.type === 'report-received'
          ? [
              (event.request as { executionDetails?: { summary?: string } }).executionDetails
                ?.summary,
            ]
          : [],
      );
      // The progress report of the wait (once per continuation job until it
      // ends), then the final one.
      expect(summaries.length).toBeGreaterThanOrEqual(2);
      expect(summaries[0]).toMatch(/^x(😀)+…$/u);
      for (const summary of summaries) {
        expect(summary?.length).toBeLessThanOrEqual(2048);
        expect(summary).not.toMatch(LONE_SURROGATE);
      }
    },
  },
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

let emulator: CodePipelineEmulator;
const savedTableName = process.env.BATON_TABLE_NAME;

beforeAll(async () => {
  delete process.env.BATON_TABLE_NAME;
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 5000 });
});

afterAll(async () => {
  if (savedTableName !== undefined) process.env.BATON_TABLE_NAME = savedTableName;
  await emulator?.stop();
});

describe('never hang: played rows', () => {
  it.each(Object.entries(ROWS))('%s', async (_, row) => {
    const played = await playEdgeRow({
      emulator,
      dynamoDB: dynamoDB(),
      job: row.job,
      ...(row.withoutTable ? { withoutTable: true } : {}),
      ...(row.handlerOptions ? { handlerOptions: row.handlerOptions } : {}),
      ...(row.functionTimeoutMs ? { functionTimeoutMs: row.functionTimeoutMs } : {}),
    });
    const { result } = played;
    // It ended with a report, and no deterministic error reached Lambda's retry.
    expect(result.reason).toBe(
      row.expected.status === 'Succeeded' ? 'succeeded' : 'failure-reported',
    );
    expect(result.status).toBe(row.expected.status);
    expect(played.thrown).toEqual([]);
    expect(played.invocations.every((line) => line.endsWith(' returned'))).toBe(true);
    if (row.expected.failureType) {
      expect(result.failureDetails?.type).toBe(row.expected.failureType);
    }
    if (row.expected.message) expect(result.failureDetails?.message).toMatch(row.expected.message);
    if (row.expected.summary)
      expect(result.executionDetails?.summary).toMatch(row.expected.summary);
    expect(played.runs).toEqual(row.userCodeRuns);
    for (const job of result.jobs) {
      for (const value of Object.values(job.artifactCredentials)) {
        if (typeof value === 'string') expect(secretPiecesIn(played.written, value)).toEqual([]);
      }
    }
    row.check?.(played);
  });
});

describe('never hang: steps that kill the process (worker containers)', () => {
  it("a step that crashes every time fails the job on Lambda's last retry, naming the step", async () => {
    const testbed = await createTestbed('poison');
    const result = await emulator.runLambdaAction({
      handler: fixtureHandler('never-hang/crashing-handler.ts'),
      environment: testbed.environment,
      functionTimeoutMs: 10_000,
    });
    if (result.reason !== 'failure-reported') {
      console.log(result.timeline.map((e) => formatTimelineEvent(e)).join('\n'));
    }
    expect(result.reason).toBe('failure-reported');
    expect(result.failureDetails?.type).toBe('JobFailed');
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
