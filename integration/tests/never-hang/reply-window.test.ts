/**
 * Never hang: CodePipeline's 20-minute reply window. A job must get a reply
 * within 20 minutes of its creation, whatever Lambda's retries do. The first
 * attempt of a 15-minute function dies at minute 14; Lambda's retry comes
 * after it. Played in worker containers on the pipeline clock (the step's
 * minutes of work are skipped, not slept) through the emulator, whose
 * no-reply window is CodePipeline's 20 minutes, against DynamoDB Local.
 */
import {
  type CodePipelineEmulator,
  formatTimelineEvent,
  type LambdaActionResult,
  startCodePipelineEmulator,
} from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestbed, fixtureHandler } from '../../support/baton-action.js';

const MINUTE = 60_000;

/** A step run, as the late-retry fixture logs it. */
interface StepRun {
  attempt: number;
  jobId: string;
  /** Epoch ms (pipeline time). */
  at: number;
  budgetMs: number;
}

let emulator: CodePipelineEmulator;

beforeAll(async () => {
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 5000 });
});

afterAll(async () => {
  await emulator?.stop();
});

async function play(retryDelaysMs: number[]) {
  const testbed = await createTestbed('reply-window');
  const result = await emulator.runLambdaAction({
    handler: fixtureHandler('never-hang/late-retry-handler.ts'),
    environment: testbed.environment,
    functionTimeoutMs: 15 * MINUTE,
    retryDelaysMs,
  });
  if (result.reason !== 'succeeded') {
    console.log(result.timeline.map((e) => formatTimelineEvent(e)).join('\n'));
  }
  const runs = testbed.executions() as unknown as StepRun[];
  return { result, runs };
}

/** Pipeline ms from job 1's creation to its accepted report. */
function job1ReplyMs(result: LambdaActionResult): number | undefined {
  const job1 = result.jobs[0]?.id;
  const created = result.timeline.find((e) => e.type === 'job-created' && e.jobId === job1);
  const reply = result.timeline.find(
    (e) => e.type === 'report-received' && e.jobId === job1 && e.accepted,
  );
  return created && reply ? reply.pipelineMs - created.pipelineMs : undefined;
}

describe("never hang: CodePipeline's 20-minute reply window", () => {
  it("a Lambda retry near the window's end stops its step in time and hands the run on as the same attempt", async () => {
    const { result, runs } = await play([60_000, 120_000]);
    expect(result.reason).toBe('succeeded');
    expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
      'j1-d1-a1 crashed',
      'j1-d1-a2 returned',
      'j2-d1-a1 returned',
    ]);
    // Job 1 was answered inside its window, by the retry that came at minute 15.
    expect(job1ReplyMs(result)).toBeLessThan(20 * MINUTE);
    const [first, retry, next] = runs;
    expect(runs).toHaveLength(3);
    // The retry's step had until the window's end less the margin and the
    // reserve (about 4 minutes), not the 15 minutes Lambda gave it.
    const replyBy = (first?.at ?? 0) + 20 * MINUTE;
    expect((retry?.at ?? 0) + (retry?.budgetMs ?? 0)).toBeLessThanOrEqual(replyBy - MINUTE);
    expect(retry?.budgetMs).toBeLessThan(5 * MINUTE);
    // Cut off by the window, not by the function's timeout: no attempt was spent,
    // and the next job (a window of its own) had a whole invocation.
    expect(runs.map((r) => r.attempt)).toEqual([1, 1, 1]);
    expect(next?.jobId).toBe(result.jobs[1]?.id);
    expect(next?.budgetMs).toBeGreaterThan(14 * MINUTE);
  });

  it('a retry that comes with no time left reports progress at once, without running the step', async () => {
    // Lambda's retry comes 5 minutes after the crash: at minute 19.
    const { result, runs } = await play([5 * MINUTE]);
    expect(result.reason).toBe('succeeded');
    expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
      'j1-d1-a1 crashed',
      'j1-d1-a2 returned',
      'j2-d1-a1 returned',
    ]);
    expect(job1ReplyMs(result)).toBeLessThan(20 * MINUTE);
    // User code ran in the first attempt and in the next job only.
    expect(runs.map((r) => r.jobId)).toEqual([result.jobs[0]?.id, result.jobs[1]?.id]);
  });
});
