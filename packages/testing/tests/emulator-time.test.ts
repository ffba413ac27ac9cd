import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CodePipelineEmulator,
  startCodePipelineEmulator,
  type TimelineEvent,
  UnfiredFaultsError,
} from '../src/index.js';
import type { SeenWait } from './fixtures/backoff-handler.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

let emulator: CodePipelineEmulator;
beforeAll(async () => {
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 });
});
afterAll(async () => {
  await emulator.stop();
});

describe('one time inside a container', () => {
  it("skips a handler's own wait and moves its clock with pipeline time", async () => {
    const result = await emulator.runLambdaAction({
      handler: './clock-handler.ts#handler',
      cwd: fixtures,
      // Under the 30 s function timeout, which counts in pipeline time too.
      userParameters: { waitMs: 25_000 },
    });
    expect(result.status).toBe('Succeeded');
    const before = Number(result.outputVariables.before);
    const after = Number(result.outputVariables.after);
    // The handler's clock saw its 25 s wait pass, never less.
    expect(after - before).toBeGreaterThanOrEqual(25_000);
    // And pipeline time passed with it: the action took at least as long.
    expect(result.pipelineMs).toBeGreaterThanOrEqual(25_000);
  });

  it("servers' Date headers reach the handler in pipeline time, so the AWS SDK sees no clock skew", async () => {
    const server = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await emulator.runLambdaAction({
        handler: './clock-handler.ts#handler',
        cwd: fixtures,
        // Ten pipeline minutes skipped: past the SDK's 5-minute skew limit.
        userParameters: { waitMs: 600_000, dateUrl: `http://127.0.0.1:${port}/` },
        functionTimeoutMs: 900_000,
      });
      expect(result.status).toBe('Succeeded');
      const after = Number(result.outputVariables.after);
      const serverDate = Date.parse(result.outputVariables.serverDate ?? '');
      // Date headers have whole seconds; the server answered right after `after`.
      expect(Math.abs(serverDate - after)).toBeLessThan(5_000);
    } finally {
      server.close();
    }
  });

  it('a wait longer than the function timeout times the invocation out, in pipeline time', async () => {
    const result = await emulator.runLambdaAction({
      handler: './clock-handler.ts#handler',
      cwd: fixtures,
      userParameters: { waitMs: 60_000 },
      functionTimeoutMs: 30_000,
      retryDelaysMs: [],
      noReplyTimeoutMs: 5 * 60_000,
    });
    expect(result.status).toBe('Failed');
    expect(result.invocations.map((invocation) => invocation.outcome)).toEqual([
      { kind: 'timed-out', timeoutMs: 30_000 },
    ]);
    // The skipped wait ended at the deadline: beyond the function timeout,
    // pipeline time passed only at real speed (the cold start, the kill).
    const started = eventOf(result.timeline, 'invocation-started');
    const timedOut = eventOf(result.timeline, 'invocation-timed-out');
    expect(timedOut.pipelineMs - started.pipelineMs).toBeGreaterThanOrEqual(30_000);
    expect(timedOut.pipelineMs - started.pipelineMs - 30_000).toBeLessThanOrEqual(
      timedOut.elapsedMs - started.elapsedMs,
    );
  });
});

describe('waits under a deadline', () => {
  // 1/5000 as the reliability suites run; 1/1 000 000 makes a microsecond of
  // the emulator's own work a second of pipeline time.
  it.each([
    { label: '1/5000', timeScale: 1 / 5000 },
    { label: '1/1000000', timeScale: 1 / 1_000_000 },
  ])(
    'a handler backing off until its budget is spent sees each wait as asked and finishes in time (timeScale $label)',
    async ({ timeScale }) => {
      const result = await emulator.runLambdaAction({
        handler: './backoff-handler.ts#handler',
        cwd: fixtures,
        timeScale,
        userParameters: { firstWaitMs: 50, guardMs: 500 },
        functionTimeoutMs: 3000,
        retryDelaysMs: [],
      });
      expect(result.invocations.map((invocation) => invocation.outcome.kind)).toEqual(['returned']);
      expect(result.status).toBe('Succeeded');
      const waits = JSON.parse(result.outputVariables.waits ?? '[]') as SeenWait[];
      // 50, 100, 200, 400, 800 ms, then what is left of the 2.5 s budget.
      expect(waits.length).toBeGreaterThanOrEqual(5);
      for (const wait of waits) {
        // Never early, and never later than the real time that passed on top.
        expect(wait.seen).toBeGreaterThanOrEqual(wait.asked);
        expect(wait.seen - wait.asked).toBeLessThanOrEqual(Math.ceil(wait.real) + 1);
      }
    },
  );
});

function eventOf<T extends TimelineEvent['type']>(
  timeline: readonly TimelineEvent[],
  type: T,
): Extract<TimelineEvent, { type: T }> {
  const found = timeline.find((event) => event.type === type);
  if (!found) throw new Error(`no ${type} event on the timeline`);
  return found as Extract<TimelineEvent, { type: T }>;
}

describe('honest faults', () => {
  it('lists every requested fault with where and when it fired', async () => {
    const result = await emulator.runLambdaAction({
      handler: './clock-handler.ts#handler',
      cwd: fixtures,
      faults: [
        { kind: 'duplicate-delivery', mode: 'sequential', when: { sequence: 1 } },
        { kind: 'duplicate-delivery', mode: 'sequential', when: { sequence: 2 } },
      ],
    });
    expect(result.status).toBe('Succeeded');
    expect(result.faults).toMatchObject([
      {
        index: 0,
        fired: true,
        strikes: [{ sequence: 1, invocationId: 'j1-d2-a1', detail: expect.any(String) }],
      },
      // The action had one job: no job 2 to deliver twice.
      { index: 1, fired: false, strikes: [] },
    ]);
    // When: after the first invocation ended, as the timeline has it.
    const ended = result.timeline.find((event) => event.type === 'invocation-ended');
    const strike = result.faults[0]?.strikes[0];
    expect(strike?.pipelineMs).toBeGreaterThanOrEqual(
      ended?.pipelineMs ?? Number.POSITIVE_INFINITY,
    );
  });

  it('rejects with UnfiredFaultsError, result attached, when told to', async () => {
    const playing = emulator.runLambdaAction({
      handler: './clock-handler.ts#handler',
      cwd: fixtures,
      faults: [{ kind: 'duplicate-delivery', mode: 'sequential', when: { sequence: 2 } }],
      failOnUnfiredFaults: true,
    });
    const error = await playing.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(UnfiredFaultsError);
    const unfired = error as UnfiredFaultsError;
    expect(unfired.name).toBe('UnfiredFaultsError');
    expect(unfired.message).toContain('faults[0]');
    expect(unfired.unfired.map((report) => report.index)).toEqual([0]);
    expect(unfired.result.status).toBe('Succeeded');
  });
});
