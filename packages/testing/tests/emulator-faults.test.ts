import { CodePipelineClient, GetJobDetailsCommand } from '@aws-sdk/client-codepipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultPlan } from '../src/emulator/fault-plan.js';
import {
  type CodePipelineEmulator,
  type LambdaActionResult,
  type LambdaHandler,
  startCodePipelineEmulator,
  type TimelineEvent,
} from '../src/index.js';
import { createCountingHandler } from './fixtures/counting-handler.js';

const FAST = 1 / 10_000;

let emulator: CodePipelineEmulator;
let counting: ReturnType<typeof createCountingHandler>;

beforeAll(async () => {
  emulator = await startCodePipelineEmulator({ timeScale: FAST });
  counting = createCountingHandler(emulator.clientConfig);
});

afterAll(async () => {
  await emulator.stop();
});

const ofType = <T extends TimelineEvent['type']>(timeline: TimelineEvent[], type: T) =>
  timeline.filter((event): event is Extract<TimelineEvent, { type: T }> => event.type === type);

const reportOutcomes = (result: LambdaActionResult) =>
  ofType(result.timeline, 'report-received').map((report) =>
    report.accepted ? `accepted${report.answered ? '' : ' (answer lost)'}` : report.error,
  );

/** Records what the SDK threw at the handler, then throws it on (Lambda sees an error). */
function observingErrors(handler: LambdaHandler) {
  const errors: Array<{ name: string; status?: number }> = [];
  const observed: LambdaHandler = async (event, context) => {
    try {
      return await handler(event, context);
    } catch (err) {
      const error = err as Error & { $metadata?: { httpStatusCode?: number } };
      errors.push({ name: error.name, status: error.$metadata?.httpStatusCode });
      throw err;
    }
  };
  return { errors, handler: observed };
}

/** Like a careful handler: a refused second report of the same job is no error. */
const tolerant: LambdaHandler = async (event, context) => {
  try {
    return await counting(event, context);
  } catch (err) {
    if ((err as Error).name === 'InvalidJobStateException') return { alreadyReported: true };
    throw err;
  }
};

describe('duplicate delivery', () => {
  it('sequential: delivers the same event again after the first invocation ended', async () => {
    const result = await emulator.runLambdaAction({
      handler: tolerant,
      faults: [{ kind: 'duplicate-delivery', mode: 'sequential' }],
    });
    expect(result.status).toBe('Succeeded');
    const order = result.timeline
      .filter((event) => event.type.startsWith('invocation-') || event.type === 'fault-injected')
      .map((event) =>
        'invocationId' in event ? `${event.type} ${event.invocationId}` : event.type,
      );
    expect(order).toEqual([
      'invocation-started j1-d1-a1',
      'invocation-ended j1-d1-a1',
      'fault-injected j1-d2-a1',
      'invocation-started j1-d2-a1',
      'invocation-ended j1-d2-a1',
    ]);
    expect(result.invocations[1]?.awsRequestId).toBe(result.invocations[0]?.awsRequestId);
    // Same event, same job: the duplicate's report is refused.
    expect(reportOutcomes(result)).toEqual(['accepted', 'InvalidJobStateException']);
  });

  it('concurrent: delivers the same event twice at once, in two containers', async () => {
    const result = await emulator.runLambdaAction({
      handler: tolerant,
      userParameters: { sleepMs: 50 },
      faults: [{ kind: 'duplicate-delivery', mode: 'concurrent' }],
    });
    expect(result.status).toBe('Succeeded');
    const kinds = result.timeline
      .filter((event) => event.type.startsWith('invocation-'))
      .map((event) => event.type);
    expect(kinds.slice(0, 2)).toEqual(['invocation-started', 'invocation-started']);
    expect(new Set(result.invocations.map((invocation) => invocation.containerId)).size).toBe(2);
    expect(result.invocations.map((invocation) => invocation.delivery).sort()).toEqual([1, 2]);
    expect(reportOutcomes(result).sort()).toEqual(['InvalidJobStateException', 'accepted']);
  });

  it('only for the selected job', async () => {
    const result = await emulator.runLambdaAction({
      handler: tolerant,
      userParameters: { steps: 3 },
      faults: [{ kind: 'duplicate-delivery', mode: 'sequential', when: { sequence: 2 } }],
    });
    expect(result.invocations.map((invocation) => invocation.invocationId).sort()).toEqual([
      'j1-d1-a1',
      'j2-d1-a1',
      'j2-d2-a1',
      'j3-d1-a1',
    ]);
  });
});

describe('report faults', () => {
  it('response lost: the report is applied, the answer never arrives, the SDK retry is refused', async () => {
    const { errors, handler } = observingErrors(counting);
    const result = await emulator.runLambdaAction({
      handler,
      faults: [{ kind: 'response-lost' }],
    });
    expect(result.status).toBe('Succeeded');
    expect(result.jobs[0]?.status).toBe('Succeeded');
    expect(reportOutcomes(result).slice(0, 2)).toEqual([
      'accepted (answer lost)',
      'InvalidJobStateException',
    ]);
    expect(ofType(result.timeline, 'fault-injected')).toMatchObject([
      { fault: 'response-lost', sequence: 1 },
    ]);
    expect(errors[0]).toEqual({ name: 'InvalidJobStateException', status: 400 });
  });

  it('throttling for the first N tries is absorbed by the SDK retries', async () => {
    const result = await emulator.runLambdaAction({
      handler: counting,
      faults: [{ kind: 'throttle', times: 2 }],
    });
    expect(result.status).toBe('Succeeded');
    expect(reportOutcomes(result)).toEqual([
      'ThrottlingException',
      'ThrottlingException',
      'accepted',
    ]);
    expect(result.invocations).toHaveLength(1);
  });

  it('throttling reaches a handler that does not retry, and Lambda retries the invocation', async () => {
    const { errors, handler } = observingErrors(counting);
    const result = await emulator.runLambdaAction({
      handler,
      userParameters: { sdkMaxAttempts: 1 },
      faults: [{ kind: 'throttle', times: 1 }],
    });
    expect(errors).toEqual([{ name: 'ThrottlingException', status: 400 }]);
    expect(result.invocations.map((invocation) => invocation.outcome.kind)).toEqual([
      'errored',
      'returned',
    ]);
    expect(result.status).toBe('Succeeded');
  });

  it.each([
    [500, 'InternalServerError'],
    [503, 'ServiceUnavailable'],
  ] as const)('server error %i answers %s and is not applied', async (statusCode, name) => {
    const { errors, handler } = observingErrors(counting);
    const result = await emulator.runLambdaAction({
      handler,
      userParameters: { sdkMaxAttempts: 1 },
      faults: [{ kind: 'server-error', statusCode }],
    });
    expect(errors).toEqual([{ name, status: statusCode }]);
    expect(reportOutcomes(result)).toEqual([name, 'accepted']);
    expect(result.status).toBe('Succeeded');
  });

  it('hits only the selected job and operations', async () => {
    const { errors, handler } = observingErrors(async (event, context) => {
      // Ask for the job first, as some job workers do.
      const client = new CodePipelineClient({ ...emulator.clientConfig, maxAttempts: 1 });
      try {
        await client.send(new GetJobDetailsCommand({ jobId: event['CodePipeline.job'].id }));
      } finally {
        client.destroy();
      }
      return counting(event, context);
    });
    const result = await emulator.runLambdaAction({
      handler,
      userParameters: { steps: 3, sdkMaxAttempts: 1 },
      faults: [{ kind: 'throttle', operations: ['GetJobDetails'], when: { sequence: 2 } }],
    });
    expect(result.status).toBe('Succeeded');
    expect(errors).toEqual([{ name: 'ThrottlingException', status: 400 }]);
    expect(
      ofType(result.timeline, 'api-called').map((call) => `${call.sequence} ${call.error ?? 'ok'}`),
    ).toEqual(['1 ok', '2 ThrottlingException', '2 ok', '3 ok']);
    expect(reportOutcomes(result)).toEqual(['accepted', 'accepted', 'accepted']);
  });
});

describe('seeded faults', () => {
  const throttledJobs = (result: LambdaActionResult) =>
    ofType(result.timeline, 'fault-injected').map((fault) => fault.sequence);

  it('hits the same jobs for the same seed', async () => {
    const play = (seed: number) =>
      emulator.runLambdaAction({
        handler: counting,
        userParameters: { steps: 8, sdkMaxAttempts: 1 },
        seed,
        faults: [{ kind: 'throttle', when: { probability: 0.5 } }],
      });
    const first = await play(42);
    const again = await play(42);
    expect(first.status).toBe('Succeeded');
    expect(throttledJobs(again)).toEqual(throttledJobs(first));
    expect(throttledJobs(first).length).toBeGreaterThan(0);
    expect(throttledJobs(first).length).toBeLessThan(8);
  });

  it('draws independently of timing, from the seed and the job/delivery/attempt numbers', () => {
    const pick = (seed: number) => {
      const plan = new FaultPlan(
        [{ kind: 'duplicate-delivery', mode: 'sequential', when: { probability: 0.3 } }],
        seed,
      );
      return Array.from({ length: 200 }, (_, index) => index + 1).filter((sequence) =>
        plan.duplicateFor(sequence),
      );
    };
    expect(pick(7)).toEqual(pick(7));
    expect(pick(7)).not.toEqual(pick(8));
    expect(pick(7).length).toBeGreaterThan(30);
    expect(pick(7).length).toBeLessThan(90);
  });

  it('refuses probabilities outside 0..1 and counts that are not positive integers', () => {
    expect(() => new FaultPlan([{ kind: 'throttle', when: { probability: 2 } }], 1)).toThrow(
      /probability/,
    );
    expect(() => new FaultPlan([{ kind: 'throttle', times: 0 }], 1)).toThrow(/times/);
    expect(() => new FaultPlan([{ kind: 'throttle', when: { sequence: 0 } }], 1)).toThrow(/from 1/);
  });
});
