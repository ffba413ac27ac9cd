/**
 * The EMF lines a run writes to stdout (read from the emulator's record of
 * each container's output), checked against what each invocation returned,
 * the step log and the table: counts, request times, retries, run duration.
 */
import type { InvocationResult } from '@baton/core';
import {
  type CodePipelineEmulator,
  type LambdaActionResult,
  startCodePipelineEmulator,
} from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestbed, eventsOf, fixtureHandler, runIdOf } from '../support/baton-action.js';

let emulator: CodePipelineEmulator;

beforeAll(async () => {
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 });
});

afterAll(async () => {
  await emulator.stop();
});

type EmfLine = Record<string, unknown> & {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
};

/** The EMF lines each invocation wrote to stdout, by invocation id. */
function emfLines(result: LambdaActionResult): Map<string, EmfLine[]> {
  const byInvocation = new Map<string, EmfLine[]>();
  for (const event of eventsOf(result, 'handler-output')) {
    if (event.stream !== 'stdout' || !event.text.includes('"_aws"')) continue;
    const line = JSON.parse(event.text) as EmfLine;
    const id = event.invocationId ?? '?';
    byInvocation.set(id, [...(byInvocation.get(id) ?? []), line]);
  }
  return byInvocation;
}

/** A metric's values on a line (a single value or a list), `[]` when absent. */
const values = (line: EmfLine | undefined, name: string): number[] => {
  const value = line?.[name];
  return value === undefined ? [] : Array.isArray(value) ? (value as number[]) : [value as number];
};
const total = (lines: EmfLine[], name: string) =>
  lines.flatMap((l) => values(l, name)).reduce((a, b) => a + b, 0);

const RESULT_METRIC: Record<string, string> = {
  reported: 'InvocationsReported',
  resent: 'InvocationsResent',
  'in-progress': 'InvocationsInProgress',
  stale: 'InvocationsStale',
  rejected: 'InvocationsRejected',
  'lease-lost': 'InvocationsLeaseLost',
};

describe('EMF metrics of a run', () => {
  it('count what each invocation did, under duplicates and throttled reports', async () => {
    const testbed = await createTestbed('emf');
    const result = await emulator.runLambdaAction({
      handler: fixtureHandler('polling-job.ts'),
      // The default takeover age: no lease renewal between steps, so a run's
      // DynamoDB requests are its claim and its commit.
      environment: testbed.environment,
      userParameters: { polls: 3 },
      functionTimeoutMs: 30_000,
      faults: [
        { kind: 'duplicate-delivery', mode: 'sequential', when: { sequence: 2 } },
        { kind: 'throttle', times: 2, when: { sequence: 3 } },
      ],
    });
    expect(result.status).toBe('Succeeded');
    const lines = emfLines(result);
    const returned = new Map(
      eventsOf(result, 'invocation-ended').map((e) => [
        e.invocationId,
        e.value as InvocationResult,
      ]),
    );
    // One line per invocation that ended by itself (returned or threw), and one only.
    const ended = result.invocations.filter((i) =>
      ['returned', 'errored'].includes(i.outcome.kind),
    );
    expect([...lines.keys()].sort()).toEqual(ended.map((i) => i.invocationId).sort());
    for (const invocation of ended.filter((i) => i.outcome.kind === 'errored')) {
      expect(values(lines.get(invocation.invocationId)?.[0], 'InvocationsThrown')).toEqual([1]);
    }
    const reporter = (sequence: number) =>
      [...returned].find(
        ([, r]) => r.kind === 'reported' && r.jobId === result.jobs[sequence - 1]?.id,
      )?.[0] ?? '?';
    const [first, last] = [reporter(1), reporter(3)];

    for (const [id, value] of returned) {
      const [line, ...more] = lines.get(id) ?? [];
      expect(more, id).toEqual([]);
      expect(line?._aws.CloudWatchMetrics).toMatchObject([
        { Namespace: 'Baton', Dimensions: [['ServiceName', 'JobName']] },
      ]);
      expect(line).toMatchObject({
        ServiceName: 'my-function',
        JobName: 'polling',
        jobId: value.jobId,
      });
      expect(values(line, 'Invocations'), id).toEqual([1]);
      expect(values(line, RESULT_METRIC[value.kind] ?? '?'), id).toEqual([1]);
      for (const other of Object.values(RESULT_METRIC).filter(
        (m) => m !== RESULT_METRIC[value.kind],
      )) {
        expect(values(line, other), `${id} ${other}`).toEqual([]);
      }
      expect(values(line, 'StepsRun'), id).toEqual(value.stepsRun > 0 ? [value.stepsRun] : []);
      expect(values(line, 'StepDuration'), id).toHaveLength(value.stepsRun);
      // A run: claim and commit; a duplicate: its claim only. One report unless quiet.
      const dynamo = value.kind === 'reported' ? 2 : 1;
      expect(values(line, 'DynamoDBRequestTime'), id).toHaveLength(dynamo);
      const reports = value.kind === 'reported' || value.kind === 'resent' ? 1 : 0;
      expect(values(line, 'CodePipelineRequestTime'), id).toHaveLength(reports);
      for (const ms of [
        ...values(line, 'DynamoDBRequestTime'),
        ...values(line, 'InvocationDuration'),
      ]) {
        expect(ms).toBeGreaterThanOrEqual(0);
      }
    }
    // The duplicate of job 2 ran no step and left the report to the invocation
    // that committed it (or found the run moved on).
    expect(['in-progress', 'stale']).toContain(returned.get('j2-d2-a1')?.kind);
    // Job 3's report was throttled twice, then accepted: two report retries.
    expect(values(lines.get(last)?.[0], 'ReportRetries')).toEqual([2]);
    expect(eventsOf(result, 'fault-injected').filter((e) => e.fault === 'throttle')).toHaveLength(
      2,
    );
    const all = [...lines.values()].flat();
    expect(total(all, 'ReportRetries')).toBe(2);
    // Steps counted as the step log saw them run.
    expect(total(all, 'StepsRun')).toBe(testbed.executions().length);
    expect(total(all, 'StepErrors')).toBe(0);
    // One run started (by the first job) and one succeeded (by the last), with its duration.
    expect(values(lines.get(first)?.[0], 'RunsStarted')).toEqual([1]);
    expect(total(all, 'RunsStarted')).toBe(1);
    expect(values(lines.get(last)?.[0], 'RunsSucceeded')).toEqual([1]);
    expect(total(all, 'RunsSucceeded') + total(all, 'RunsFailed')).toBe(1);
    const stored = await testbed.store.getRun(runIdOf(result));
    expect(values(lines.get(last)?.[0], 'RunDuration')).toEqual([
      (stored?.run.updatedAt ?? 0) - (stored?.run.createdAt ?? 0),
    ]);
    expect(lines.get(last)?.[0]?.runId).toBe(stored?.run.runId);
  });

  it('count step errors and retries, and hand-ons that ran no step', async () => {
    const testbed = await createTestbed('emf-retry');
    const result = await emulator.runLambdaAction({
      handler: fixtureHandler('polling-job.ts'),
      environment: testbed.environment,
      // Poll 1 throws on its first attempt; the retry is delayed through a continuation.
      userParameters: { polls: 2, throwAtPoll: 1 },
      functionTimeoutMs: 30_000,
    });
    expect(result.status).toBe('Succeeded');
    const all = [...emfLines(result).values()].flat();
    const polls = testbed.executions().filter((e) => e.step === 'poll');
    const failedAttempts = polls.filter((e) => e.poll === 1 && e.attempt === 1);
    expect(failedAttempts).toHaveLength(1);
    expect(total(all, 'StepErrors')).toBe(1);
    expect(total(all, 'StepRetries')).toBe(1);
    expect(total(all, 'StepsRun')).toBe(testbed.executions().length);
    // Each job that came before its wait was over handed the run on without a step.
    const returned = eventsOf(result, 'invocation-ended').map((e) => e.value as InvocationResult);
    const bounces = returned.filter((r) => r.kind === 'reported' && r.stepsRun === 0).length;
    expect(total(all, 'HandOnsWithoutStep')).toBe(bounces);
  });
});
