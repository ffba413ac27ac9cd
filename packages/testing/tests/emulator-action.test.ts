import {
  CodePipelineClient,
  InvalidJobStateException,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CodePipelineEmulator,
  EmulatorConfigurationError,
  EmulatorStoppedError,
  formatTimelineEvent,
  type LambdaContext,
  type LambdaHandler,
  startCodePipelineEmulator,
  type TimelineEvent,
} from '../src/index.js';
import { createCountingHandler } from './fixtures/counting-handler.js';

/** A pipeline minute lasts 6 ms: the 20-minute no-reply window takes ~120 ms. */
const FAST = 1 / 10_000;

let emulator: CodePipelineEmulator;
let client: CodePipelineClient;
let counting: ReturnType<typeof createCountingHandler>;

beforeAll(async () => {
  emulator = await startCodePipelineEmulator({ timeScale: FAST });
  client = new CodePipelineClient({ ...emulator.clientConfig, maxAttempts: 1 });
  counting = createCountingHandler(emulator.clientConfig);
});

afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

const ofType = <T extends TimelineEvent['type']>(timeline: TimelineEvent[], type: T) =>
  timeline.filter((event): event is Extract<TimelineEvent, { type: T }> => event.type === type);

describe('continuation loop', () => {
  it('creates a new job per continuation token and succeeds with the output variables', async () => {
    const contexts: LambdaContext[] = [];
    const handler: LambdaHandler = async (event, context) => {
      contexts.push(context);
      return counting(event, context);
    };
    const result = await emulator.runLambdaAction({
      handler,
      userParameters: { steps: 3 },
      functionName: 'deployer',
      functionTimeoutMs: 5_000,
    });

    expect(result.status).toBe('Succeeded');
    expect(result.reason).toBe('succeeded');
    expect(result.outputVariables).toEqual({ count: '3' });
    expect(result.executionDetails).toEqual({ summary: 'step 2', percentComplete: 2 });
    expect(result.jobs.map((job) => job.sequence)).toEqual([1, 2, 3]);
    expect(new Set(result.jobs.map((job) => job.id)).size).toBe(3);
    expect(result.jobs.map((job) => job.continuationToken)).toEqual([
      undefined,
      'count:1',
      'count:2',
    ]);
    expect(result.jobs.map((job) => job.status)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
    expect(result.jobs[1]?.event['CodePipeline.job'].data.continuationToken).toBe('count:1');
    expect(
      result.jobs[0]?.event['CodePipeline.job'].data.actionConfiguration?.configuration,
    ).toEqual({
      FunctionName: 'deployer',
      UserParameters: '{"steps":3}',
    });
    // Every job gets its own credentials, as CodePipeline issues them.
    const secrets = result.jobs.map((job) => job.artifactCredentials.secretAccessKey);
    expect(new Set(secrets).size).toBe(3);
    expect(result.jobs[2]?.event['CodePipeline.job'].data.artifactCredentials).toEqual(
      result.jobs[2]?.artifactCredentials,
    );

    expect(result.invocations.map((invocation) => invocation.invocationId)).toEqual([
      'j1-d1-a1',
      'j2-d1-a1',
      'j3-d1-a1',
    ]);
    expect(contexts.map((context) => context.functionName)).toEqual([
      'deployer',
      'deployer',
      'deployer',
    ]);
    for (const context of contexts) {
      expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(context.invokedFunctionArn).toBe(
        'arn:aws:lambda:us-east-1:123456789012:function:deployer',
      );
    }
    expect(new Set(contexts.map((context) => context.awsRequestId)).size).toBe(3);

    // The order of things, job by job.
    const types = result.timeline
      .filter((event) => event.type !== 'handler-output')
      .map((event) => ('sequence' in event ? `${event.type}:${event.sequence}` : event.type));
    expect(types).toEqual([
      'action-started',
      'job-created:1',
      'invocation-started:1',
      'report-received:1',
      'invocation-ended:1',
      'job-created:2',
      'invocation-started:2',
      'report-received:2',
      'invocation-ended:2',
      'job-created:3',
      'invocation-started:3',
      'report-received:3',
      // The action is over once the final report is in; the invocation ends after.
      'action-finished',
      'invocation-ended:3',
    ]);
    const reports = ofType(result.timeline, 'report-received');
    expect(reports[0]).toMatchObject({
      operation: 'PutJobSuccessResult',
      accepted: true,
      answered: true,
      request: { jobId: result.jobs[0]?.id, continuationToken: 'count:1' },
    });
  });

  it('fails the action with the reported failure details', async () => {
    const result = await emulator.runLambdaAction({
      handler: counting,
      userParameters: { steps: 5, failAt: 2 },
    });
    expect(result.status).toBe('Failed');
    expect(result.reason).toBe('failure-reported');
    expect(result.failureDetails).toEqual({ type: 'JobFailed', message: 'failed at step 2' });
    expect(result.outputVariables).toEqual({});
    expect(result.jobs.map((job) => job.status)).toEqual(['Succeeded', 'Failed']);
  });

  it('gives the handler the remaining time of its function timeout', async () => {
    let remaining = -1;
    await emulator.runLambdaAction({
      handler: async (event, context) => {
        remaining = context.getRemainingTimeInMillis();
        return counting(event, context);
      },
      functionTimeoutMs: 4_000,
    });
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(4_000);
  });

  it('streams every timeline event to onEvent as it happens', async () => {
    const seen: TimelineEvent[] = [];
    const lines: string[] = [];
    const result = await emulator.runLambdaAction({
      handler: counting,
      userParameters: { steps: 2 },
      onEvent: (event) => {
        seen.push(event);
        lines.push(formatTimelineEvent(event));
      },
    });
    expect(seen).toEqual(result.timeline);
    expect(lines[0]).toMatch(
      /^\[pipeline\s+\d+:\d{2}:\d{2}\.\d{3} \| real\s+\d+ms\] action started/,
    );
    expect(lines.filter((line) => line.includes('action Succeeded (succeeded)'))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/j2-d1-a1 returned$/);
  });
});

describe("Lambda's retries", () => {
  it('retries a throwing handler twice, with the same request id, and the last try can finish', async () => {
    const requestIds: string[] = [];
    const handler: LambdaHandler = async (event, context) => {
      requestIds.push(context.awsRequestId);
      if (requestIds.length < 3) throw new TypeError(`boom ${requestIds.length}`);
      return counting(event, context);
    };
    const result = await emulator.runLambdaAction({ handler });
    expect(result.status).toBe('Succeeded');
    expect(
      result.invocations.map((invocation) => [invocation.attempt, invocation.outcome.kind]),
    ).toEqual([
      [1, 'errored'],
      [2, 'errored'],
      [3, 'returned'],
    ]);
    expect(result.invocations[0]?.outcome).toMatchObject({
      error: { name: 'TypeError', message: 'boom 1' },
    });
    expect(new Set(requestIds).size).toBe(1);
    expect(
      ofType(result.timeline, 'retry-scheduled').map((event) => [event.attempt, event.delayMs]),
    ).toEqual([
      [2, 60_000],
      [3, 120_000],
    ]);
    // Each retry starts only after the previous try ended and its retry was scheduled.
    const order = result.timeline
      .filter((event) => /invocation-|retry-/.test(event.type))
      .map((event) => event.type);
    expect(order).toEqual([
      'invocation-started',
      'invocation-errored',
      'retry-scheduled',
      'invocation-started',
      'invocation-errored',
      'retry-scheduled',
      'invocation-started',
      'invocation-ended',
    ]);
  });

  it('gives up after two retries; the action then fails for lack of a reply', async () => {
    const result = await emulator.runLambdaAction({
      handler: async () => {
        throw new Error('always');
      },
    });
    expect(result.invocations).toHaveLength(3);
    expect(ofType(result.timeline, 'retries-exhausted')).toHaveLength(1);
    expect(result.status).toBe('Failed');
    expect(result.reason).toBe('no-reply-timeout');
  });

  it('treats an invocation over the function timeout as an error and retries it', async () => {
    let calls = 0;
    const result = await emulator.runLambdaAction({
      functionTimeoutMs: 50,
      handler: async (event, context) => {
        calls += 1;
        if (calls === 1) await new Promise((resolve) => setTimeout(resolve, 400));
        return counting(event, context);
      },
    });
    expect(result.invocations.map((invocation) => invocation.outcome.kind)).toEqual([
      'timed-out',
      'returned',
    ]);
    expect(ofType(result.timeline, 'invocation-timed-out')[0]).toMatchObject({ timeoutMs: 50 });
    expect(result.status).toBe('Succeeded');
  });
});

describe('timeouts of the action', () => {
  it('fails after 20 minutes of pipeline time without a reply, and then refuses late reports', async () => {
    const result = await emulator.runLambdaAction({
      handler: counting,
      userParameters: { silent: true },
    });
    expect(result.status).toBe('Failed');
    expect(result.reason).toBe('no-reply-timeout');
    expect(result.failureDetails).toMatchObject({
      type: 'JobFailed',
      message: expect.stringContaining('20 minutes'),
    });
    expect(result.jobs[0]?.status).toBe('TimedOut');
    expect(ofType(result.timeline, 'job-timed-out')).toMatchObject([
      { sequence: 1, reason: 'no-reply-timeout' },
    ]);
    // Returning without a report is no error for Lambda: no retries.
    expect(result.invocations).toHaveLength(1);
    await expect(
      client.send(new PutJobSuccessResultCommand({ jobId: result.jobs[0]!.id })),
    ).rejects.toBeInstanceOf(InvalidJobStateException);
  });

  it('restarts the no-reply window with every in-progress reply', async () => {
    // 3 jobs, 15 pipeline minutes apart: 30 minutes in all, yet each job replies in time.
    const result = await emulator.runLambdaAction({
      handler: counting,
      userParameters: { steps: 3 },
      continuationDelayMs: 15 * 60_000,
    });
    expect(result.status).toBe('Succeeded');
    expect(result.pipelineMs).toBeGreaterThan(20 * 60_000);
  });

  it('fails when the total action time runs out', async () => {
    const result = await emulator.runLambdaAction({
      handler: counting,
      userParameters: { steps: 1_000 },
      continuationDelayMs: 3 * 60_000,
      actionTimeoutMs: 10 * 60_000,
    });
    expect(result.status).toBe('Failed');
    expect(result.reason).toBe('action-timeout');
    expect(result.failureDetails?.message).toMatch(/within 10 minutes/);
    expect(result.jobs.length).toBeGreaterThan(1);
    expect(result.jobs.length).toBeLessThan(10);
  });
});

describe('options and lifecycle', () => {
  it('refuses a cut-off fault for an in-process handler', async () => {
    await expect(
      emulator.runLambdaAction({
        handler: counting,
        faults: [{ kind: 'cut-off', at: { afterMs: 1 } }],
      }),
    ).rejects.toBeInstanceOf(EmulatorConfigurationError);
  });

  it('refuses a malformed module spec, a missing module and an unusable timeScale', async () => {
    await expect(
      emulator.runLambdaAction({ handler: './x.ts#not an export' }),
    ).rejects.toBeInstanceOf(EmulatorConfigurationError);
    await expect(
      emulator.runLambdaAction({ handler: './no-such-handler.ts#handler' }),
    ).rejects.toThrow(/no-such-handler\.ts does not exist/);
    await expect(
      emulator.runLambdaAction({ handler: counting, timeScale: 0 }),
    ).rejects.toBeInstanceOf(EmulatorConfigurationError);
  });

  it('rejects a running action with EmulatorStoppedError when the emulator stops', async () => {
    const own = await startCodePipelineEmulator({ timeScale: FAST });
    let started!: () => void;
    const invoked = new Promise<void>((resolve) => {
      started = resolve;
    });
    const playing = own.runLambdaAction({
      handler: async () => {
        started();
        await new Promise((resolve) => setTimeout(resolve, 50));
      },
      noReplyTimeoutMs: 24 * 60 * 60_000,
    });
    await invoked;
    await own.stop();
    await expect(playing).rejects.toBeInstanceOf(EmulatorStoppedError);
    await expect(fetch(own.endpoint)).rejects.toThrow();
  });

  it('rejects with the abort reason when its signal aborts', async () => {
    const controller = new AbortController();
    const playing = emulator.runLambdaAction({
      handler: async () => {
        controller.abort(new Error('enough'));
      },
      signal: controller.signal,
      noReplyTimeoutMs: 24 * 60 * 60_000,
    });
    await expect(playing).rejects.toThrow('enough');
  });
});
