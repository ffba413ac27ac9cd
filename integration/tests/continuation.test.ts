/**
 * The continuation loop end to end: a Baton job in a worker thread, its runs
 * in DynamoDB Local, its reports to the CodePipeline emulator, one new job per
 * continuation token, to success and to failure.
 */
import { type CodePipelineEmulator, startCodePipelineEmulator } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptedReports,
  createTestbed,
  fixtureHandler,
  type ReportBody,
  runIdOf,
  stepNames,
} from '../support/baton-action.js';

const handler = fixtureHandler('polling-job.ts');

let emulator: CodePipelineEmulator;

beforeAll(async () => {
  // A pipeline minute lasts 60 ms: the next job comes 31 ms after a continuation.
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 });
});

afterAll(async () => {
  await emulator.stop();
});

describe('the continuation loop', () => {
  it('polls through four jobs to success', async () => {
    const testbed = await createTestbed('loop-success');
    const result = await emulator.runLambdaAction({
      handler,
      environment: testbed.environment,
      userParameters: { polls: 4 },
    });

    expect(result.status).toBe('Succeeded');
    expect(result.reason).toBe('succeeded');
    expect(result.outputVariables).toEqual({ polls: '4' });

    // One job per poll, each invoked once.
    expect(result.jobs).toHaveLength(4);
    expect(result.jobs[0]?.continuationToken).toBeUndefined();
    for (const job of result.jobs.slice(1)) {
      expect(job.continuationToken).toMatch(/^bt1\.[0-9a-f]{32}\.\d+\.[\w-]{22}$/);
    }
    expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
      'j1-d1-a1 returned',
      'j2-d1-a1 returned',
      'j3-d1-a1 returned',
      'j4-d1-a1 returned',
    ]);

    // Each job took exactly one report: three in progress, then the success.
    const runId = runIdOf(result);
    const reports = acceptedReports(result);
    expect(reports.map((r) => r.sequence)).toEqual([1, 2, 3, 4]);
    expect(reports.map((r) => (r.request as ReportBody).executionDetails)).toEqual([
      { summary: 'poll 1 of 4: not yet', percentComplete: 25, externalExecutionId: runId },
      { summary: 'poll 2 of 4: not yet', percentComplete: 50, externalExecutionId: runId },
      { summary: 'poll 3 of 4: not yet', percentComplete: 75, externalExecutionId: runId },
      { summary: 'done after 4 polls', percentComplete: 100, externalExecutionId: runId },
    ]);
    // The token each report carried is the one the next job got.
    expect(reports.slice(0, 3).map((r) => (r.request as ReportBody).continuationToken)).toEqual(
      result.jobs.slice(1).map((job) => job.continuationToken),
    );
    expect(result.executionDetails).toEqual({
      summary: 'done after 4 polls',
      percentComplete: 100,
      externalExecutionId: runId,
    });

    // User code ran once per step visit.
    expect(stepNames(testbed.executions())).toEqual([
      'start',
      'poll 1',
      'poll 2',
      'poll 3',
      'poll 4',
    ]);
    expect(new Set(testbed.executions().map((e) => e.runId))).toEqual(new Set([runId]));

    // The stored run: succeeded, one history item per job, in order.
    const stored = await testbed.store.getRun(runId);
    expect(stored?.run).toMatchObject({
      runId,
      jobName: 'polling',
      status: 'succeeded',
      firstJobId: result.jobs[0]?.id,
      outcome: { kind: 'succeed', jobId: result.jobs[3]?.id, outputVariables: { polls: '4' } },
    });
    expect(stored?.history.map((h) => [h.jobSeq, h.jobId])).toEqual(
      result.jobs.map((job, index) => [index, job.id]),
    );
    expect(
      stored?.history.map((h) => h.entries.map((e) => `${e.step}: ${e.outcome} ${e.detail}`)),
    ).toEqual([
      ['start: goTo poll', 'poll: wait 0.02 s: poll 1 of 4: not yet'],
      ['poll: wait 0.02 s: poll 2 of 4: not yet'],
      ['poll: wait 0.02 s: poll 3 of 4: not yet'],
      ['poll: succeed done after 4 polls'],
    ]);
  });

  it('fails the action with the step’s message, through a continuation', async () => {
    const testbed = await createTestbed('loop-failure');
    const result = await emulator.runLambdaAction({
      handler,
      environment: testbed.environment,
      userParameters: { polls: 5, failAtPoll: 2 },
    });

    expect(result.status).toBe('Failed');
    expect(result.reason).toBe('failure-reported');
    const runId = runIdOf(result);
    expect(result.failureDetails).toEqual({
      type: 'JobFailed',
      message: 'poll 2 found the deployment broken',
      externalExecutionId: runId,
    });
    expect(result.outputVariables).toEqual({});
    expect(result.jobs).toHaveLength(2);
    expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
      'j1-d1-a1 returned',
      'j2-d1-a1 returned',
    ]);
    const reports = acceptedReports(result);
    expect(reports.map((r) => r.operation)).toEqual(['PutJobSuccessResult', 'PutJobFailureResult']);
    const progress = {
      summary: 'poll 1 of 5: not yet',
      percentComplete: 20,
      externalExecutionId: runId,
    };
    expect(reports.map((r) => (r.request as ReportBody).executionDetails)).toEqual([
      progress,
      undefined,
    ]);
    expect(result.executionDetails).toEqual(progress);
    expect(stepNames(testbed.executions())).toEqual(['start', 'poll 1', 'poll 2']);

    const stored = await testbed.store.getRun(runId);
    expect(stored?.run).toMatchObject({
      status: 'failed',
      step: 'poll',
      outcome: {
        kind: 'fail',
        jobId: result.jobs[1]?.id,
        failureType: 'JobFailed',
        message: 'poll 2 found the deployment broken',
      },
    });
    expect(
      stored?.history.map((h) => h.entries.map((e) => `${e.step}: ${e.outcome} ${e.detail}`)),
    ).toEqual([
      ['start: goTo poll', 'poll: wait 0.02 s: poll 1 of 5: not yet'],
      ['poll: fail poll 2 found the deployment broken'],
    ]);
  });
});
