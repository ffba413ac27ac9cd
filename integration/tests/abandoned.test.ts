/**
 * The run table tells the truth: when CodePipeline fails an action on its own
 * (no reply within the window), the run ends `abandoned` with the reason and
 * the time, not `running` until its TTL, and `baton runs list --status
 * abandoned` shows it.
 */
import type { InvocationResult } from '@baton/core';
import { sweepRuns } from '@baton/core';
import { type CodePipelineEmulator, startCodePipelineEmulator } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestbed, eventsOf, fixtureHandler } from '../support/baton-action.js';

let emulator: CodePipelineEmulator;

beforeAll(async () => {
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 });
});

afterAll(async () => {
  await emulator.stop();
});

describe('abandoned runs', () => {
  it('a step that outlasts the reply window: its report is refused and the run ends abandoned', async () => {
    const testbed = await createTestbed('abandon');
    // Real time (a cold start must not pass for minutes of silence), short
    // pipeline delays, and an 8-second no-reply window: poll 2 sleeps past it,
    // so CodePipeline fails the action before Baton reports poll 2's outcome.
    const result = await emulator.runLambdaAction({
      handler: fixtureHandler('polling-job.ts'),
      environment: testbed.environment,
      userParameters: { polls: 3, slowAtPoll: 2, slowMs: 12_000 },
      timeScale: 1,
      deliveryDelayMs: 20,
      continuationDelayMs: 20,
      functionTimeoutMs: 40_000,
      noReplyTimeoutMs: 8_000,
    });
    expect(result.status).toBe('Failed');
    expect(result.reason).toBe('no-reply-timeout');
    // The invocation whose report came too late (poll 2's, unless this machine
    // was so slow that the first job's cold start already outlasted the window).
    const timedOut = eventsOf(result, 'job-timed-out')[0]?.jobId;
    const late = eventsOf(result, 'invocation-ended')
      .map((e) => e.value as InvocationResult)
      .find((r) => r.jobId === timedOut && r.kind === 'reported');
    expect(late).toMatchObject({ kind: 'reported', reportStatus: 'refused' });

    const stored = await testbed.store.getRun(late?.runId ?? '?');
    expect(stored?.run).toMatchObject({
      status: 'abandoned',
      abandonReason: 'job-refused',
      abandonDetail: expect.stringContaining(`job ${timedOut}`),
    });
    // Marked after the commit that the refused report followed.
    expect(stored?.run.abandonedAt).toBeGreaterThanOrEqual(stored?.run.updatedAt ?? Infinity);
    // The invocation's metrics count the run as abandoned, not as anything else.
    const emf = eventsOf(result, 'handler-output')
      .filter((e) => e.stream === 'stdout' && e.text.includes('"RunsAbandoned"'))
      .map((e) => JSON.parse(e.text) as Record<string, unknown>);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ RunsAbandoned: 1, runId: late?.runId });
    expect(emf[0]).not.toHaveProperty('RunsSucceeded');
    // Nothing left for a sweep to do.
    const swept = await sweepRuns(testbed.store, { now: Date.now() + 60 * 60_000 });
    expect(swept.abandoned).toEqual([]);
  });

  it('every attempt of a job dies: the sweep marks the run abandoned once the window is over', async () => {
    const testbed = await createTestbed('abandon-sweep');
    const result = await emulator.runLambdaAction({
      handler: fixtureHandler('polling-job.ts'),
      environment: testbed.environment,
      userParameters: { polls: 3 },
      functionTimeoutMs: 30_000,
      // Job 2's first try and Lambda's two retries are killed mid-step.
      faults: [{ kind: 'cut-off', at: { afterMs: 0 }, when: { sequence: 2 } }],
    });
    expect(result.status).toBe('Failed');
    expect(result.reason).toBe('no-reply-timeout');
    const runId = eventsOf(result, 'invocation-ended')
      .map((e) => e.value as InvocationResult)
      .find((r) => r.runId)?.runId;
    const before = await testbed.store.getRun(runId ?? '?');
    // The table alone still says running: no invocation will come to say otherwise.
    expect(before?.run.status).toBe('running');

    const now = Date.now();
    // Within CodePipeline's window (and the grace for a next job), nothing is marked.
    expect((await sweepRuns(testbed.store, { now })).abandoned).toEqual([]);
    const later = now + 31 * 60_000;
    const dry = await sweepRuns(testbed.store, { now: later, dryRun: true });
    expect(dry.abandoned).toEqual([
      expect.objectContaining({ runId, reason: 'no-reply', marked: false }),
    ]);
    expect((await testbed.store.getRun(runId ?? '?'))?.run.status).toBe('running');
    const swept = await sweepRuns(testbed.store, { now: later });
    expect(swept.abandoned).toEqual([
      expect.objectContaining({ runId, jobName: 'polling', reason: 'no-reply', marked: true }),
    ]);
    const after = await testbed.store.getRun(runId ?? '?');
    expect(after?.run).toMatchObject({
      status: 'abandoned',
      abandonReason: 'no-reply',
      abandonedAt: later,
      abandonDetail: expect.stringMatching(
        /^no invocation has touched the run since .* \(31 min\)/,
      ),
    });
    // A second sweep finds nothing more.
    expect((await sweepRuns(testbed.store, { now: later + 1 })).abandoned).toEqual([]);
  });
});
