import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type CodePipelineEmulator,
  type LambdaActionOptions,
  type LambdaActionResult,
  runLambdaAction,
  startCodePipelineEmulator,
  type TimelineEvent,
} from '../src/index.js';

const FAST = 1 / 10_000;
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const packageDir = fileURLToPath(new URL('../', import.meta.url));

let emulator: CodePipelineEmulator;

beforeAll(async () => {
  emulator = await startCodePipelineEmulator({ timeScale: FAST });
});

afterAll(async () => {
  await emulator.stop();
});

const counting = (options: Partial<LambdaActionOptions> = {}) =>
  emulator.runLambdaAction({
    handler: './counting-handler.ts#handler',
    cwd: fixtures,
    functionTimeoutMs: 10_000,
    ...options,
  });

const ofType = <T extends TimelineEvent['type']>(timeline: TimelineEvent[], type: T) =>
  timeline.filter((event): event is Extract<TimelineEvent, { type: T }> => event.type === type);

const outcomes = (result: LambdaActionResult) =>
  result.invocations.map((invocation) => `${invocation.invocationId} ${invocation.outcome.kind}`);

const reportOutcomes = (result: LambdaActionResult) =>
  ofType(result.timeline, 'report-received').map((report) =>
    report.accepted ? `accepted${report.answered ? '' : ' (answer lost)'}` : report.error,
  );

/** The `pid`/`thread` a counting handler printed when each invocation started. */
const startsPrinted = (result: LambdaActionResult) =>
  ofType(result.timeline, 'handler-output')
    .map((line) => /^start step \d+ pid (\d+) thread (\d+)/.exec(line.text))
    .filter((match) => match !== null)
    .map((match) => ({ pid: Number(match[1]), thread: Number(match[2]) }));

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('module-spec handlers in worker threads', () => {
  it('plays the continuation loop in one warm container and records its output', async () => {
    const result = await counting({ userParameters: { steps: 3 } });
    expect(result.status).toBe('Succeeded');
    expect(result.outputVariables).toEqual({ count: '3' });
    expect(
      result.invocations.map((invocation) => [invocation.containerId, invocation.coldStart]),
    ).toEqual([
      ['c1', true],
      ['c1', false],
      ['c1', false],
    ]);
    const reported = ofType(result.timeline, 'handler-output').filter((line) =>
      line.text.startsWith('reported'),
    );
    expect(reported.map((line) => [line.invocationId, line.stream, line.text])).toEqual([
      ['j1-d1-a1', 'stdout', 'reported step 1'],
      ['j2-d1-a1', 'stdout', 'reported step 2'],
      ['j3-d1-a1', 'stdout', 'reported step 3'],
    ]);
    const starts = startsPrinted(result);
    expect(new Set(starts.map((start) => start.thread)).size).toBe(1);
    expect(starts[0]?.pid).toBe(process.pid);
  });

  it('gives the handler the emulator endpoint, pass-through settings, dummy credentials and source resolution', async () => {
    vi.stubEnv('BATON_TABLE_NAME', 'probe-table');
    vi.stubEnv('PROBE_HOST_ONLY', 'must not leak');
    try {
      const result = await emulator.runLambdaAction({
        handler: './probe-handler.ts#probe',
        cwd: fixtures,
        functionName: 'probe-fn',
        environment: { PROBE_EXTRA: 'extra' },
      });
      expect(result.status).toBe('Succeeded');
      expect(result.outputVariables).toMatchObject({
        endpoint: emulator.endpoint,
        dynamodb: process.env.AWS_ENDPOINT_URL_DYNAMODB,
        table: 'probe-table',
        accessKey: 'emulated',
        extra: 'extra',
        hostOnly: '',
        functionName: 'probe-fn',
        remainingPositive: 'true',
      });
      expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toMatch(/^http:/);
      // `--conditions=source`: workspace packages load from their TypeScript sources.
      expect(result.outputVariables.core).toMatch(/\/packages\/core\/src\/index\.ts$/);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('resolves a package spec from cwd; a missing export ends the action at once', async () => {
    const result = await emulator.runLambdaAction({
      handler: '@baton/core#noSuchHandler',
      cwd: packageDir,
    });
    expect(result.status).toBe('Failed');
    expect(result.reason).toBe('handler-not-loadable');
    // No retry and no no-reply window: nothing a retry could change.
    expect(result.invocations.map((invocation) => invocation.outcome.kind)).toEqual(['errored']);
    expect(result.invocations[0]?.outcome).toMatchObject({
      phase: 'init',
      error: {
        name: 'Runtime.HandlerNotFound',
        message: expect.stringContaining('createLambdaHandler'),
      },
    });
    expect(result.failureDetails).toMatchObject({
      type: 'JobFailed',
      message: expect.stringContaining('Runtime.HandlerNotFound'),
    });
    expect(result.pipelineMs).toBeLessThan(20 * 60_000);
  });

  it('a module that cannot be imported ends the action at once with Runtime.ImportModuleError', async () => {
    const result = await emulator.runLambdaAction({
      handler: './broken-import-handler.ts#handler',
      cwd: fixtures,
    });
    expect(result.status).toBe('Failed');
    expect(result.reason).toBe('handler-not-loadable');
    expect(result.invocations.map((invocation) => invocation.outcome.kind)).toEqual(['errored']);
    expect(result.invocations[0]?.outcome).toMatchObject({
      error: {
        name: 'Runtime.ImportModuleError',
        message: expect.stringContaining('baton-no-such-package'),
      },
    });
    expect(result.failureDetails?.message).toContain('Runtime.ImportModuleError');
  });

  it('crash mid-invocation: the killed try never reports, the retry in a fresh container finishes', async () => {
    const result = await counting({
      userParameters: { sleepMs: 300 },
      faults: [{ kind: 'cut-off', at: { afterMs: 50 }, when: { attempt: 1 } }],
    });
    expect(result.status).toBe('Succeeded');
    expect(outcomes(result)).toEqual(['j1-d1-a1 crashed', 'j1-d1-a2 returned']);
    expect(result.invocations[0]?.outcome).toMatchObject({
      reason: expect.stringContaining('cut off'),
    });
    expect(
      result.invocations.map((invocation) => [invocation.containerId, invocation.coldStart]),
    ).toEqual([
      ['c1', true],
      ['c2', true],
    ]);
    expect(reportOutcomes(result)).toEqual(['accepted']);
    expect(ofType(result.timeline, 'fault-injected')).toMatchObject([
      { fault: 'cut-off', invocationId: 'j1-d1-a1' },
    ]);
    const threads = startsPrinted(result).map((start) => start.thread);
    expect(new Set(threads).size).toBe(2);
  });

  it('crash when the report arrives: the report is dropped and the retry reports', async () => {
    const result = await counting({
      faults: [{ kind: 'cut-off', at: 'report-received', when: { attempt: 1 } }],
    });
    expect(result.status).toBe('Succeeded');
    expect(outcomes(result)).toEqual(['j1-d1-a1 crashed', 'j1-d1-a2 returned']);
    expect(reportOutcomes(result)).toEqual(['dropped', 'accepted']);
  });

  it('crash right after the report was applied: the action goes on, retries find the job reported', async () => {
    const result = await counting({
      userParameters: { sdkMaxAttempts: 1 },
      faults: [{ kind: 'cut-off', at: 'report-applied', when: { attempt: 1 } }],
    });
    expect(result.status).toBe('Succeeded');
    expect(outcomes(result)).toEqual(['j1-d1-a1 crashed', 'j1-d1-a2 errored', 'j1-d1-a3 errored']);
    expect(reportOutcomes(result)).toEqual([
      'accepted (answer lost)',
      'InvalidJobStateException',
      'InvalidJobStateException',
    ]);
    expect(ofType(result.timeline, 'retries-exhausted')).toHaveLength(1);
  });

  it('a handler that exits its container crashes the invocation; the retry gets a new container', async () => {
    const crashOnceFile = join(tmpdir(), `baton-emulator-crash-${randomUUID()}`);
    const result = await counting({ userParameters: { crashOnceFile } });
    expect(result.status).toBe('Succeeded');
    expect(outcomes(result)).toEqual(['j1-d1-a1 crashed', 'j1-d1-a2 returned']);
    expect(result.invocations[0]?.outcome).toMatchObject({
      reason: expect.stringContaining('exit code 3'),
    });
    expect(result.invocations[1]?.containerId).toBe('c2');
  });

  it('stops an invocation at the function timeout, before it can report', async () => {
    const result = await counting({ userParameters: { sleepMs: 400 }, functionTimeoutMs: 100 });
    expect(outcomes(result)).toEqual([
      'j1-d1-a1 timed-out',
      'j1-d1-a2 timed-out',
      'j1-d1-a3 timed-out',
    ]);
    expect(new Set(result.invocations.map((invocation) => invocation.containerId)).size).toBe(3);
    expect(reportOutcomes(result)).toEqual([]);
    expect(result.reason).toBe('no-reply-timeout');
  });
});

describe('module-spec handlers in child processes', () => {
  it('plays the action in a separate process and kills it for real on cut-off', async () => {
    const result = await counting({
      isolation: 'process',
      userParameters: { steps: 2, sleepMs: 300 },
      faults: [{ kind: 'cut-off', at: { afterMs: 50 }, when: { sequence: 2, attempt: 1 } }],
    });
    expect(result.status).toBe('Succeeded');
    expect(outcomes(result)).toEqual([
      'j1-d1-a1 returned',
      'j2-d1-a1 crashed',
      'j2-d1-a2 returned',
    ]);
    const pids = startsPrinted(result).map((start) => start.pid);
    expect(pids).toHaveLength(3);
    expect(pids[0]).not.toBe(process.pid);
    expect(pids[1]).toBe(pids[0]);
    expect(pids[2]).not.toBe(pids[1]);
    // The killed one and the warm one the action left behind are both gone.
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('does not wait for late invocations when told so, and leaves no process behind', async () => {
    const result = await counting({
      isolation: 'process',
      userParameters: { lingerMs: 60_000 },
      waitForLateInvocations: false,
    });
    expect(result.status).toBe('Succeeded');
    const pids = startsPrinted(result).map((start) => start.pid);
    expect(pids).toHaveLength(1);
    expect(pids.filter(isAlive)).toEqual([]);
  });
});

describe('runLambdaAction', () => {
  it('plays an action on an emulator of its own', async () => {
    const result = await runLambdaAction({
      handler: join(fixtures, 'counting-handler.ts'),
      userParameters: { steps: 2 },
      timeScale: FAST,
    });
    expect(result.status).toBe('Succeeded');
    expect(result.jobs).toHaveLength(2);
  });
});
