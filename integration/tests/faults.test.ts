/**
 * Every fault the emulator can inject, against a Baton job of three jobs
 * (`start` + poll 1, poll 2, poll 3). Whatever happens, the action succeeds
 * with the right output, CodePipeline takes exactly one result per job, and
 * DynamoDB holds each step's commit once. The step log (written by the job
 * before it does anything, so it survives a kill) shows which steps ran more
 * than once: only the one a crash interrupted before its commit (and, with
 * `retryTakeoverAfterMs: 0`, one a concurrent duplicate took over). The
 * handler keeps its production defaults otherwise: it runs in the emulator's
 * pipeline time, so Lambda's retry after a crash comes a pipeline minute later
 * and takes the dead attempt's lease over with the default 50 s take-over age.
 */
import type { InvocationResult } from '@baton/core';
import {
  type CodePipelineEmulator,
  type Fault,
  type FaultKind,
  type LambdaActionOptions,
  type LambdaActionResult,
  startCodePipelineEmulator,
} from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptedReports,
  type BatonTestbed,
  createTestbed,
  eventsOf,
  executionCounts,
  fixtureHandler,
  runIdOf,
  terminalReports,
} from '../support/baton-action.js';

let emulator: CodePipelineEmulator;

beforeAll(async () => {
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 });
});

afterAll(async () => {
  await emulator.stop();
});

const ONCE_EACH = { start: 1, 'poll 1': 1, 'poll 2': 1, 'poll 3': 1 };

/** Plays the three-job action with `faults`, then checks what must hold whatever the fault. */
async function playWith(
  name: string,
  faults: Fault[],
  options: Omit<Partial<LambdaActionOptions>, 'userParameters'> & {
    userParameters?: Record<string, unknown>;
  } = {},
): Promise<{ result: LambdaActionResult; testbed: BatonTestbed }> {
  const testbed = await createTestbed(name);
  const { environment, userParameters, ...rest } = options;
  const result = await emulator.runLambdaAction({
    handler: fixtureHandler('polling-job.ts'),
    environment: { ...testbed.environment, ...environment },
    userParameters: { polls: 3, ...userParameters },
    functionTimeoutMs: 10_000,
    faults,
    ...rest,
  });

  expect(result.status).toBe('Succeeded');
  expect(result.outputVariables).toEqual({ polls: '3' });
  expect(result.jobs).toHaveLength(3);
  // CodePipeline took one result per job, and one that ended the action.
  expect(acceptedReports(result).map((report) => report.sequence)).toEqual([1, 2, 3]);
  expect(terminalReports(result)).toEqual([
    expect.objectContaining({ jobId: result.jobs[2]?.id, outputVariables: { polls: '3' } }),
  ]);
  // Every step visit was committed exactly once, each by its own job.
  const runId = runIdOf(result);
  const stored = await testbed.store.getRun(runId);
  expect(stored?.run.status).toBe('succeeded');
  expect(stored?.history.map((h) => [h.jobSeq, h.jobId])).toEqual(
    result.jobs.map((job, index) => [index, job.id]),
  );
  expect(stored?.history.map((h) => h.entries.map((e) => `${e.step} ${e.outcome}`))).toEqual([
    ['start goTo', 'poll wait'],
    ['poll wait'],
    ['poll succeed'],
  ]);
  return { result, testbed };
}

const faultsInjected = (result: LambdaActionResult): FaultKind[] =>
  eventsOf(result, 'fault-injected').map((event) => event.fault);

/** `'j2-d1-a1 crashed'`, … sorted: concurrent invocations may end in any order. */
const invocationOutcomes = (result: LambdaActionResult): string[] =>
  result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`).sort();

/** What Baton's handler returned in an invocation (its `InvocationResult`). */
const returned = (result: LambdaActionResult, invocationId: string): InvocationResult =>
  eventsOf(result, 'invocation-ended').find((e) => e.invocationId === invocationId)
    ?.value as InvocationResult;

/** Report requests of one job, as the emulator answered them. */
const reportsOfJob = (result: LambdaActionResult, sequence: number): string[] =>
  eventsOf(result, 'report-received')
    .filter((report) => report.sequence === sequence)
    .map((report) =>
      report.accepted ? `accepted${report.answered ? '' : ', answer lost'}` : `${report.error}`,
    );

describe('faults against a Baton job', () => {
  it('sequential duplicate: the second delivery leaves the report to the committer and runs no user code', async () => {
    const { result, testbed } = await playWith('dup-seq', [
      { kind: 'duplicate-delivery', mode: 'sequential', when: { sequence: 2 } },
    ]);
    expect(faultsInjected(result)).toEqual(['duplicate-delivery']);
    expect(invocationOutcomes(result)).toEqual([
      'j1-d1-a1 returned',
      'j2-d1-a1 returned',
      'j2-d2-a1 returned',
      'j3-d1-a1 returned',
    ]);
    // No user code: the outcome was committed by an invocation whose time is
    // not over, which reports it, so the duplicate returns quietly (or, once
    // job 3 has moved the run on, it is stale).
    expect(returned(result, 'j2-d2-a1')).toMatchObject({ stepsRun: 0 });
    expect(['in-progress', 'stale']).toContain(returned(result, 'j2-d2-a1').kind);
    expect(result.jobs[1]?.result).toMatchObject({ kind: 'success' });
    expect(executionCounts(testbed.executions())).toEqual(ONCE_EACH);
  });

  it('concurrent duplicate: one delivery runs the step, the other runs no user code', async () => {
    const { result, testbed } = await playWith(
      'dup-conc',
      // Lambda's real retry delay is a minute; a duplicate arriving at the same
      // moment must not pass for a retry: the default takeover age (50 s) applies.
      [{ kind: 'duplicate-delivery', mode: 'concurrent', when: { sequence: 2 } }],
    );
    expect(faultsInjected(result)).toEqual(['duplicate-delivery']);
    expect(invocationOutcomes(result)).toEqual([
      'j1-d1-a1 returned',
      'j2-d1-a1 returned',
      'j2-d2-a1 returned',
      'j3-d1-a1 returned',
    ]);
    const kinds = ['j2-d1-a1', 'j2-d2-a1'].map((id) => returned(result, id).kind).sort();
    expect([
      ['in-progress', 'reported'],
      ['reported', 'resent'],
    ]).toContainEqual(kinds);
    expect(executionCounts(testbed.executions())).toEqual(ONCE_EACH);
  });

  it('concurrent duplicate with retryTakeoverAfterMs 0: a takeover, still one commit', async () => {
    // With 0, the duplicate (same Lambda request id) counts as Lambda's retry of a
    // dead attempt and may take the lease over: the step may then run twice, but
    // the first holder's commit fails and it reports nothing.
    const { result, testbed } = await playWith(
      'dup-conc-0',
      [{ kind: 'duplicate-delivery', mode: 'concurrent', when: { sequence: 2 } }],
      { environment: { FIXTURE_RETRY_TAKEOVER_AFTER_MS: '0' } },
    );
    expect(faultsInjected(result)).toEqual(['duplicate-delivery']);
    const kinds = ['j2-d1-a1', 'j2-d2-a1'].map((id) => returned(result, id).kind).sort();
    expect([
      ['in-progress', 'reported'],
      ['reported', 'resent'],
      ['lease-lost', 'reported'],
    ]).toContainEqual(kinds);
    const counts = executionCounts(testbed.executions());
    expect(counts).toEqual({ ...ONCE_EACH, 'poll 2': kinds[0] === 'lease-lost' ? 2 : 1 });
  });

  it('report response lost: the retried report meets InvalidJobStateException, counted as done', async () => {
    const { result, testbed } = await playWith('resp-lost', [
      { kind: 'response-lost', when: { sequence: 2 } },
    ]);
    expect(faultsInjected(result)).toEqual(['response-lost']);
    expect(reportsOfJob(result, 2)).toEqual(['accepted, answer lost', 'InvalidJobStateException']);
    expect(returned(result, 'j2-d1-a1')).toMatchObject({
      kind: 'reported',
      reportStatus: 'already-reported',
    });
    expect(invocationOutcomes(result)).toEqual([
      'j1-d1-a1 returned',
      'j2-d1-a1 returned',
      'j3-d1-a1 returned',
    ]);
    expect(executionCounts(testbed.executions())).toEqual(ONCE_EACH);
  });

  it('report throttled: retried with backoff inside the invocation', async () => {
    const { result, testbed } = await playWith('throttle', [
      { kind: 'throttle', times: 2, when: { sequence: 2 } },
    ]);
    expect(faultsInjected(result)).toEqual(['throttle', 'throttle']);
    expect(reportsOfJob(result, 2)).toEqual([
      'ThrottlingException',
      'ThrottlingException',
      'accepted',
    ]);
    expect(returned(result, 'j2-d1-a1')).toMatchObject({ kind: 'reported', reportStatus: 'sent' });
    expect(result.invocations).toHaveLength(3);
    expect(executionCounts(testbed.executions())).toEqual(ONCE_EACH);
  });

  it('report 5xx: 500 and 503 are retried inside the invocation', async () => {
    const { result, testbed } = await playWith('5xx', [
      { kind: 'server-error', statusCode: 500, when: { sequence: 2 } },
      { kind: 'server-error', statusCode: 503, times: 2, when: { sequence: 3 } },
    ]);
    expect(faultsInjected(result)).toEqual(['server-error', 'server-error', 'server-error']);
    expect(reportsOfJob(result, 2)).toEqual(['InternalServerError', 'accepted']);
    expect(reportsOfJob(result, 3)).toEqual([
      'ServiceUnavailable',
      'ServiceUnavailable',
      'accepted',
    ]);
    expect(result.invocations).toHaveLength(3);
    expect(executionCounts(testbed.executions())).toEqual(ONCE_EACH);
  });

  it('cut off mid-step: Lambda’s retry takes the lease over and runs the step again, once committed', async () => {
    const { result, testbed } = await playWith(
      'cut-mid',
      [{ kind: 'cut-off', at: { afterMs: 400 }, when: { sequence: 2, attempt: 1 } }],
      // Poll 2 is logged at once, then takes 1.5 s: the kill comes in between.
      { userParameters: { slowAtPoll: 2, slowMs: 1500 } },
    );
    expect(faultsInjected(result)).toEqual(['cut-off']);
    expect(eventsOf(result, 'invocation-crashed').map((e) => e.invocationId)).toEqual(['j2-d1-a1']);
    expect(eventsOf(result, 'retry-scheduled').map((e) => [e.sequence, e.attempt])).toEqual([
      [2, 2],
    ]);
    expect(invocationOutcomes(result)).toEqual([
      'j1-d1-a1 returned',
      'j2-d1-a1 crashed',
      'j2-d1-a2 returned',
      'j3-d1-a1 returned',
    ]);
    expect(returned(result, 'j2-d1-a2')).toMatchObject({ kind: 'reported', stepsRun: 1 });
    // The interrupted poll ran twice, with the same idempotency key; it was committed once (above).
    expect(executionCounts(testbed.executions())).toEqual({ ...ONCE_EACH, 'poll 2': 2 });
    const poll2 = testbed.executions().filter((e) => e.step === 'poll' && e.poll === 2);
    expect(new Set(poll2.map((e) => e.idempotencyKey)).size).toBe(1);
    expect(poll2.map((e) => e.jobId)).toEqual([result.jobs[1]?.id, result.jobs[1]?.id]);
  });

  it('cut off when the report arrives: the report is dropped, Lambda’s retry re-sends it', async () => {
    const { result, testbed } = await playWith('cut-received', [
      { kind: 'cut-off', at: 'report-received', when: { sequence: 3, attempt: 1 } },
    ]);
    expect(faultsInjected(result)).toEqual(['cut-off']);
    expect(reportsOfJob(result, 3)).toEqual(['dropped', 'accepted']);
    expect(invocationOutcomes(result)).toEqual([
      'j1-d1-a1 returned',
      'j2-d1-a1 returned',
      'j3-d1-a1 crashed',
      'j3-d1-a2 returned',
    ]);
    // The retry found the outcome committed: re-sent, no user code.
    expect(returned(result, 'j3-d1-a2')).toMatchObject({
      kind: 'resent',
      stepsRun: 0,
      reportStatus: 'sent',
      outcome: { kind: 'succeed', outputVariables: { polls: '3' } },
    });
    expect(executionCounts(testbed.executions())).toEqual(ONCE_EACH);
  });

  it('cut off after the report was applied: Lambda’s retry runs no user code', async () => {
    const { result, testbed } = await playWith('cut-applied', [
      { kind: 'cut-off', at: 'report-applied', when: { sequence: 2, attempt: 1 } },
    ]);
    expect(faultsInjected(result)).toEqual(['cut-off']);
    expect(invocationOutcomes(result)).toEqual([
      'j1-d1-a1 returned',
      'j2-d1-a1 crashed',
      'j2-d1-a2 returned',
      'j3-d1-a1 returned',
    ]);
    // The retry comes a (compressed) minute later, when job 3 may have moved the run
    // on already: then it is stale and returns quietly; else it re-sends the outcome
    // and CodePipeline answers that the job has its result.
    const retry = returned(result, 'j2-d1-a2');
    expect(retry).toMatchObject({ stepsRun: 0 });
    if (retry.kind === 'resent') {
      expect(retry.reportStatus).toBe('already-reported');
      expect(reportsOfJob(result, 2)).toEqual([
        'accepted, answer lost',
        'InvalidJobStateException',
      ]);
    } else {
      expect(retry.kind).toBe('stale');
      expect(reportsOfJob(result, 2)).toEqual(['accepted, answer lost']);
    }
    expect(executionCounts(testbed.executions())).toEqual(ONCE_EACH);
  });
});
