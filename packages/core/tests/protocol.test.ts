import { afterEach, describe, expect, it } from 'vitest';
import { defineJob, fail, goTo, type Job, ReportError, succeed, wait } from '../src/index.js';
import { secondSeedEvent, seedEvent } from './fixtures.js';
import { createHarness, type Harness, runToEnd } from './harness.js';

/** Counts user-code calls per step, so tests can prove what ran. */
function pollingJob(options: { polls?: number; waitSeconds?: number } = {}) {
  const calls = { start: 0, poll: 0 };
  const job = defineJob({
    name: 'polling',
    initialState: { polls: 0, deploymentId: '' },
    firstStep: 'start',
    maxInlineWaitSeconds: 5,
    steps: {
      start: ({ idempotencyKey }) => {
        calls.start += 1;
        return goTo('poll', { deploymentId: `d-${idempotencyKey.length}` });
      },
      poll: ({ state }) => {
        calls.poll += 1;
        if (state.polls >= (options.polls ?? 3)) {
          return succeed({
            outputVariables: { deploymentId: state.deploymentId },
            summary: 'deployed',
          });
        }
        return wait({
          seconds: options.waitSeconds ?? 60,
          percentComplete: (state.polls + 1) * 20,
          summary: `poll ${state.polls + 1}`,
          state: { polls: state.polls + 1 },
        });
      },
    },
  });
  return { job, calls };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness<S extends object, P>(job: Job<S, P>): Promise<Harness> {
  h = await createHarness(job);
  return h;
}

describe('happy path', () => {
  it('runs over several invocations at ≤ 2 DynamoDB + 1 CodePipeline requests each', async () => {
    const { job, calls } = pollingJob({ polls: 3, waitSeconds: 60 });
    const t = await harness(job);
    const perInvocation: Array<{ dynamo: number; codepipeline: number }> = [];
    const results = [];
    let event = t.newJob();
    for (;;) {
      const result = await t.invoke(event);
      results.push(result);
      perInvocation.push({ dynamo: t.dynamo.total, codepipeline: t.codepipeline.total });
      if (result.outcome?.kind !== 'continue') break;
      t.clock.advance(61);
      event = t.newJob({ continuationToken: result.outcome.continuationToken });
    }
    expect(results.map((r) => r.outcome?.kind)).toEqual([
      'continue',
      'continue',
      'continue',
      'succeed',
    ]);
    expect(calls).toEqual({ start: 1, poll: 4 });
    for (const counts of perInvocation) {
      expect(counts.dynamo).toBeLessThanOrEqual(2);
      expect(counts.codepipeline).toBe(1);
    }
    const last = results.at(-1)!;
    expect(t.pipeline.result(last.jobId)).toMatchObject({
      kind: 'success',
      outputVariables: { deploymentId: expect.stringMatching(/^d-/) },
    });
    // The first continuation carries the progress of the first wait.
    expect(t.pipeline.result(results[0]!.jobId)).toMatchObject({
      kind: 'success',
      continuationToken: expect.stringMatching(/^bt1\./),
      executionDetails: {
        percentComplete: 20,
        summary: 'poll 1',
        externalExecutionId: results[0]!.runId,
      },
    });
    const stored = await t.store.getRun(last.runId!);
    expect(stored?.run.status).toBe('succeeded');
    expect(stored?.run.resumeAt).toBeUndefined();
    expect(stored?.run.progress).toEqual({ percentComplete: 100, summary: 'deployed' });
    expect(stored?.history).toHaveLength(4);
    expect(stored?.history.flatMap((x) => x.entries.map((e) => e.outcome))).toEqual([
      'goTo',
      'wait',
      'wait',
      'wait',
      'succeed',
    ]);
  });

  it('runs several steps and short waits inside one invocation', async () => {
    const { job, calls } = pollingJob({ polls: 2, waitSeconds: 2 });
    const t = await harness(job);
    const result = await t.invoke(t.newJob());
    expect(result.outcome?.kind).toBe('succeed');
    expect(calls).toEqual({ start: 1, poll: 3 });
    expect(t.dynamo.total).toBe(2);
  });

  it('costs no user code when a wait has not elapsed yet', async () => {
    const { job, calls } = pollingJob({ polls: 1, waitSeconds: 600 });
    const t = await harness(job);
    const first = await t.invoke(t.newJob());
    expect(calls.poll).toBe(1);
    t.clock.advance(10); // CodePipeline came back early
    const second = await t.invoke(t.newJob({ continuationToken: tokenOf(first) }));
    expect(second.outcome?.kind).toBe('continue');
    expect(second.stepsRun).toBe(0);
    expect(calls.poll).toBe(1);
    expect(t.pipeline.result(second.jobId)).toMatchObject({
      executionDetails: { summary: 'poll 1' },
    });
    t.clock.advance(600);
    const third = await t.invoke(t.newJob({ continuationToken: tokenOf(second) }));
    expect(third.outcome?.kind).toBe('succeed');
    expect(calls.poll).toBe(2);
  });
});

describe('time budget', () => {
  it('hands on when too little time is left to start the next step', async () => {
    let clock: { advance(seconds: number): void } | undefined;
    const ran: string[] = [];
    const job = defineJob({
      name: 'two-steps',
      initialState: { first: '' },
      firstStep: 'first',
      steps: {
        first: () => {
          ran.push('first');
          clock?.advance(56.5); // leaves 0.5 s of a 60 s invocation before its 3 s margin
          return goTo('second', { first: 'done' });
        },
        second: ({ state }) => {
          ran.push('second');
          return succeed({ summary: state.first });
        },
      },
    });
    const t = await harness(job);
    clock = t.clock;
    const first = await t.invoke(t.newJob());
    expect(first.outcome).toMatchObject({ kind: 'continue', summary: "running step 'second'" });
    expect(ran).toEqual(['first']);
    const second = await t.invoke(t.newJob({ continuationToken: tokenOf(first) }));
    expect(second.outcome).toMatchObject({ kind: 'succeed', summary: 'done' });
    expect(ran).toEqual(['first', 'second']);
  });

  it('runs a step even when the function timeout is as short as 1 s', async () => {
    const { job, calls } = pollingJob({ polls: 0 });
    const t = await harness(job);
    const result = await t.invoke(t.newJob(), { remainingMs: 1000 });
    expect(result.outcome?.kind).toBe('succeed');
    expect(calls).toEqual({ start: 1, poll: 1 });
  });

  it('aborts a step that overruns the budget and retries it later', async () => {
    let tries = 0;
    const job = defineJob({
      name: 'overrun',
      initialState: {},
      firstStep: 'slow',
      maxInlineWaitSeconds: 0,
      steps: {
        slow: async ({ signal, attempt }) => {
          tries += 1;
          if (attempt === 1) {
            await new Promise((resolve) => signal.addEventListener('abort', resolve));
          }
          return succeed();
        },
      },
    });
    const t = await harness(job);
    // A real clock for this one: the budget timer runs on real time.
    const first = await t.invoke(t.newJob(), { remainingMs: 1600 });
    expect(first.outcome?.kind).toBe('continue');
    const stored = await t.store.getRun(first.runId!);
    // It had the whole invocation, so the cut-off spends an attempt and says why.
    expect(stored?.run.lastError).toMatch(
      /did not finish within a whole invocation's budget of \d+ ms: it needs more time than the function's timeout gives/,
    );
    t.clock.advance(2);
    const second = await t.invoke(t.newJob({ continuationToken: tokenOf(first) }));
    expect(second.outcome?.kind).toBe('succeed');
    expect(tries).toBe(2);
  });
});

describe('duplicates', () => {
  it('re-sends the stored outcome of a committed job with 1 DynamoDB request and no user code', async () => {
    const { job, calls } = pollingJob();
    const t = await harness(job);
    const event = t.newJob();
    const first = await t.invoke(event);
    const before = { ...calls };
    t.clock.advance(61); // the committer's invocation is over: nobody else is reporting
    const again = await t.invoke(event);
    expect(again.kind).toBe('resent');
    expect(again.outcome).toEqual(first.outcome);
    expect(again.reportStatus).toBe('already-reported');
    expect(calls).toEqual(before);
    expect(t.dynamo.total).toBe(1);
    expect(t.pipeline.resultCount(event['CodePipeline.job'].id)).toBe(1);
  });

  it('lets exactly one of two concurrent deliveries run; the other returns quietly', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let runs = 0;
    const job = defineJob({
      name: 'slow',
      initialState: {},
      firstStep: 'work',
      steps: {
        work: async () => {
          runs += 1;
          await gate;
          return succeed({ summary: 'done' });
        },
      },
    });
    const t = await harness(job);
    const event = t.newJob();
    const first = t.invoke(event);
    // Let the first claim land before the duplicate arrives.
    while (runs === 0) await new Promise((r) => setTimeout(r, 5));
    const duplicate = await t.invoke(event);
    release();
    const winner = await first;
    expect(duplicate.kind).toBe('in-progress');
    expect(duplicate.outcome).toBeUndefined();
    expect(winner.kind).toBe('reported');
    expect(runs).toBe(1);
    expect(t.pipeline.resultCount(event['CodePipeline.job'].id)).toBe(1);
  });

  it('returns quietly for a stale job of an older sequence', async () => {
    const { job, calls } = pollingJob({ polls: 5 });
    const t = await harness(job);
    const r0 = await t.invoke(t.newJob());
    t.clock.advance(61);
    const j1 = t.newJob({ continuationToken: tokenOf(r0) });
    const r1 = await t.invoke(j1);
    t.clock.advance(61);
    await t.invoke(t.newJob({ continuationToken: tokenOf(r1) }));
    const before = { ...calls };
    const stale = await t.invoke(j1);
    // j1's outcome was overwritten by the next one: j1 is simply old.
    expect(stale.kind).toBe('stale');
    expect(calls).toEqual(before);
    expect(t.codepipeline.total).toBe(0);
  });

  it('takes over from a dead attempt when Lambda retries the same request', async () => {
    const { job, calls } = pollingJob();
    const t = await harness(job);
    const event = t.newJob();
    const jobId = event['CodePipeline.job'].id;
    // A first attempt that claimed and then crashed (its lease is still live).
    const { runIdForJob } = await import('../src/token/continuation-token.js');
    await t.store.claim({
      runId: runIdForJob(jobId),
      jobId,
      jobSeq: 0,
      owner: 'dead-attempt',
      requestId: 'req-1',
      leaseUntil: t.clock.now() + 600_000,
      now: t.clock.now(),
      create: {
        jobName: job.name,
        firstStep: 'start',
        nonce: 'n'.repeat(22),
        deadlineAt: t.clock.now() + 1e9,
        expiresAt: 9e9,
      },
    });
    const other = await t.invoke(event, { requestId: 'req-2' });
    expect(other.kind).toBe('in-progress');
    // Same request id seconds later: a duplicate of a live delivery, not a retry.
    t.clock.advance(5);
    expect((await t.invoke(event, { requestId: 'req-1' })).kind).toBe('in-progress');
    // Lambda retries a failed attempt about a minute after it ended.
    t.clock.advance(60);
    const retry = await t.invoke(event, { requestId: 'req-1' });
    expect(retry.kind).toBe('reported');
    expect(calls.start).toBe(1);
  });
});

describe('report failures', () => {
  it('re-sends a committed outcome whose report failed, without running the step again', async () => {
    const { job, calls } = pollingJob();
    const t = await harness(job);
    const event = t.newJob();
    const jobId = event['CodePipeline.job'].id;
    t.pipeline.failReports(jobId, 1000); // every report fails while the invocation lasts
    const requestId = 'lambda-request-1';
    await expect(t.invoke(event, { remainingMs: 1500, requestId })).rejects.toThrow(ReportError);
    expect(t.pipeline.resultCount(jobId)).toBe(0);
    const before = { ...calls };
    t.pipeline.failReports(jobId, 0);
    t.clock.advance(61); // Lambda retries the same request about a minute later
    const redelivered = await t.invoke(event, { requestId });
    expect(redelivered.kind).toBe('resent');
    expect(redelivered.reportStatus).toBe('sent');
    expect(calls).toEqual(before);
    expect(t.pipeline.result(jobId)).toMatchObject({ kind: 'success' });
  });

  it('counts InvalidJobStateException after a lost response as done', async () => {
    const { job } = pollingJob();
    const t = await harness(job);
    const event = t.newJob();
    const jobId = event['CodePipeline.job'].id;
    t.pipeline.loseResponses(jobId, 1);
    const result = await t.invoke(event);
    expect(result.reportStatus).toBe('already-reported');
    expect(t.pipeline.resultCount(jobId)).toBe(1);
  });
});

describe('bad configuration', () => {
  it('names every problem of the configuration in one report', async () => {
    const { job } = pollingJob();
    const t = await harness(job);
    const result = await t.invoke(
      t.newJob({ continuationToken: 'not-ours', userParameters: 'not json' }),
    );
    expect(result.outcome).toMatchObject({
      failureType: 'ConfigurationError',
      message: expect.stringMatching(/not a Baton token.*; also, UserParameters is not valid JSON/),
    });
  });

  it.each([
    [
      'a token Baton never issued',
      { continuationToken: 'A continuation token if continuing job' },
      /not issued by Baton/,
      0,
    ],
    // One read (see stricter-params.test.ts): whether an earlier deployment answered the job.
    [
      'non-JSON UserParameters',
      { userParameters: 'some-input-such-as-a-URL' },
      /not valid JSON/,
      1,
    ],
  ])('reports ConfigurationError for %s', async (_name, jobOptions, message, reads) => {
    const { job, calls } = pollingJob();
    const t = await harness(job);
    const event = t.newJob(jobOptions);
    const result = await t.invoke(event);
    expect(result.kind).toBe('rejected');
    expect(t.pipeline.result(event['CodePipeline.job'].id)).toMatchObject({
      kind: 'failure',
      failureDetails: { type: 'ConfigurationError', message: expect.stringMatching(message) },
    });
    expect(calls).toEqual({ start: 0, poll: 0 });
    expect(t.dynamo.total).toBe(reads);
  });

  it('rejects a forged token (right shape, wrong nonce)', async () => {
    const { job } = pollingJob();
    const t = await harness(job);
    const first = await t.invoke(t.newJob());
    const token = tokenOf(first);
    const forged = `${token.slice(0, -22)}${'A'.repeat(22)}`;
    const event = t.newJob({ continuationToken: forged });
    const result = await t.invoke(event);
    expect(result.kind).toBe('rejected');
    expect(result.outcome).toMatchObject({
      failureType: 'ConfigurationError',
      message: expect.stringMatching(/wrong nonce/),
    });
    // The run is untouched and can go on with the real token.
    const real = await t.invoke(t.newJob({ continuationToken: token }));
    expect(real.kind).toBe('reported');
  });

  it('reports the second seed event as ConfigurationError', async () => {
    const { job } = pollingJob();
    const t = await harness(job);
    const event = secondSeedEvent();
    event['CodePipeline.job'].id = t.pipeline.createJob();
    const result = await t.invoke(event);
    expect(result.outcome).toMatchObject({ kind: 'fail', failureType: 'ConfigurationError' });
    const secret = String(event['CodePipeline.job'].data.artifactCredentials?.secretAccessKey);
    expect(t.logs.join('\n')).not.toContain(secret);
  });
});

describe('retries, deadline, limits', () => {
  it('retries a throwing step with backoff through continuations', async () => {
    let tries = 0;
    const job = defineJob({
      name: 'flaky',
      initialState: {},
      firstStep: 'call',
      maxInlineWaitSeconds: 0,
      retry: { maximumAttempts: 3, initialIntervalSeconds: 60, backoffCoefficient: 2 },
      steps: {
        call: ({ attempt }) => {
          tries += 1;
          expect(attempt).toBe(tries);
          if (tries < 3) throw new Error(`outage ${tries}`);
          return succeed();
        },
      },
    });
    const t = await harness(job);
    const r0 = await t.invoke(t.newJob());
    expect(r0.outcome?.kind).toBe('continue');
    const run0 = await t.store.getRun(r0.runId!);
    expect(run0?.run.resumeAt).toBe(t.clock.now() + 60_000);
    t.clock.advance(30); // too early: no user code
    const early = await t.invoke(t.newJob({ continuationToken: tokenOf(r0) }));
    expect(early.stepsRun).toBe(0);
    t.clock.advance(31);
    const r1 = await t.invoke(t.newJob({ continuationToken: tokenOf(early) }));
    expect(tries).toBe(2);
    const run1 = await t.store.getRun(r1.runId!);
    expect(run1?.run.resumeAt).toBe(t.clock.now() + 120_000);
    t.clock.advance(121);
    const r2 = await t.invoke(t.newJob({ continuationToken: tokenOf(r1) }));
    expect(r2.outcome?.kind).toBe('succeed');
    expect(tries).toBe(3);
  });

  it('fails after the last attempt, naming the step and the error', async () => {
    const job = defineJob({
      name: 'broken',
      initialState: {},
      firstStep: 'call',
      retry: { maximumAttempts: 2, initialIntervalSeconds: 1 },
      steps: {
        call: () => {
          throw new TypeError('cannot read x');
        },
      },
    });
    const t = await harness(job);
    const [last] = (await runToEnd(t, t.newJob())).slice(-1);
    expect(last?.outcome).toMatchObject({
      kind: 'fail',
      failureType: 'JobFailed',
      message: "step 'call' failed after 2 attempts: TypeError: cannot read x",
    });
  });

  it('fails at once on a non-retryable error', async () => {
    class Forbidden extends Error {
      override name = 'Forbidden';
    }
    let tries = 0;
    const job = defineJob({
      name: 'nonretry',
      initialState: {},
      firstStep: 'call',
      retry: { nonRetryableErrors: ['Forbidden'] },
      steps: {
        call: () => {
          tries += 1;
          throw new Forbidden('no access');
        },
      },
    });
    const t = await harness(job);
    const result = await t.invoke(t.newJob());
    expect(tries).toBe(1);
    expect(result.outcome).toMatchObject({
      kind: 'fail',
      message: expect.stringMatching(/non-retryable.*no access/),
    });
  });

  it('fails the job at once when a wait would end after its deadline', async () => {
    const job = defineJob({
      name: 'slowpoke',
      initialState: {},
      firstStep: 'poll',
      deadlineSeconds: 600,
      steps: { poll: () => wait({ seconds: 300, summary: 'waiting' }) },
    });
    const t = await harness(job);
    const results = await runToEnd(t, t.newJob(), { betweenSeconds: 301 });
    // The second wait would end at 601 s: no waiting it out to fail later.
    expect(results.at(-1)?.outcome).toMatchObject({
      kind: 'fail',
      failureType: 'JobFailed',
      message: expect.stringMatching(
        /returned wait\(\) with seconds=300, which would end after the run's deadline \(.*deadlineSeconds 600\)/,
      ),
    });
    expect(results.length).toBe(2);
  });

  it('fails the job with a clear message when its deadline passes', async () => {
    let t: Harness | undefined;
    const job = defineJob({
      name: 'slowpoke',
      initialState: {},
      firstStep: 'work',
      deadlineSeconds: 600,
      steps: {
        work: () => {
          t?.clock.advance(301); // a step that takes five minutes
          return goTo('work');
        },
      },
    });
    t = await harness(job);
    const result = await t.invoke(t.newJob(), { remainingMs: 15 * 60_000 });
    expect(result.outcome).toMatchObject({
      kind: 'fail',
      failureType: 'JobFailed',
      message: expect.stringMatching(/passed its deadline of 600 s/),
    });
    expect(result.stepsRun).toBe(2);
  });

  it('fails clearly when a step returns a state too large to store', async () => {
    const job = defineJob({
      name: 'hoarder',
      initialState: { blob: '' },
      firstStep: 'grow',
      steps: { grow: () => goTo('grow', { blob: 'x'.repeat(300_000) }) },
    });
    const t = await harness(job);
    const result = await t.invoke(t.newJob());
    expect(result.outcome).toMatchObject({
      kind: 'fail',
      message: expect.stringMatching(/300\d{3} bytes of JSON, over the limit of 262144 bytes/),
    });
    const stored = await t.store.getRun(result.runId!);
    expect(stored?.run.stateJson).toBe('{"blob":""}');
  });

  it('fails a step that returns something that is not a transition', async () => {
    const job = defineJob({
      name: 'confused',
      initialState: {},
      firstStep: 'a',
      // @ts-expect-error: deliberately wrong return value
      steps: { a: () => ({ status: 'ok' }) },
    });
    const t = await harness(job);
    const result = await t.invoke(t.newJob());
    expect(result.outcome).toMatchObject({
      kind: 'fail',
      message: expect.stringMatching(/not a transition/),
    });
  });

  it('reports a fail transition with its type', async () => {
    const job = defineJob({
      name: 'denied',
      initialState: {},
      firstStep: 'a',
      steps: { a: () => fail({ type: 'PermissionError', message: 'role cannot deploy' }) },
    });
    const t = await harness(job);
    const event = t.newJob();
    await t.invoke(event);
    expect(t.pipeline.result(event['CodePipeline.job'].id)).toMatchObject({
      kind: 'failure',
      failureDetails: { type: 'PermissionError', message: 'role cannot deploy' },
    });
  });
});

function tokenOf(result: {
  outcome?: { kind: string } & Partial<{ continuationToken: string }>;
}): string {
  if (result.outcome?.kind !== 'continue' || !result.outcome.continuationToken) {
    throw new Error(`expected a continuation, got ${JSON.stringify(result.outcome)}`);
  }
  return result.outcome.continuationToken;
}

describe('secrets', () => {
  it('keeps artifact credentials out of the table, the reports and the logs', async () => {
    let tries = 0;
    const job = defineJob({
      name: 'careless',
      initialState: { note: '' },
      firstStep: 'leak',
      retry: { maximumAttempts: 2, initialIntervalSeconds: 1 },
      steps: {
        leak: ({ artifactCredentials: creds, logger }) => {
          tries += 1;
          logger.info('creds', { creds, text: `key ${creds?.secretAccessKey}` });
          if (tries === 1) throw new Error(`denied for ${creds?.sessionToken}`);
          return wait({
            seconds: 60,
            summary: `as ${creds?.accessKeyId}`,
            state: { note: `${creds?.secretAccessKey}` },
            step: 'done',
          });
        },
        done: ({ artifactCredentials: creds }) =>
          succeed({
            outputVariables: { who: String(creds?.accessKeyId) },
            summary: String(creds?.sessionToken),
          }),
      },
    });
    const t = await harness(job);
    const results = await runToEnd(t, t.newJob(), { betweenSeconds: 61 });
    expect(results.at(-1)?.outcome?.kind).toBe('succeed');
    const creds = seedEvent()['CodePipeline.job'].data.artifactCredentials as Record<
      string,
      string
    >;
    const secrets = [creds.accessKeyId, creds.secretAccessKey, creds.sessionToken] as string[];
    const scan = await t.scanTable();
    const reports = results.map((r) => JSON.stringify(t.pipeline.result(r.jobId)));
    for (const secret of secrets) {
      expect(scan).not.toContain(secret);
      expect(reports.join('\n')).not.toContain(secret);
      expect(t.logs.join('\n')).not.toContain(secret);
    }
    expect(scan).toContain('[REDACTED]');
  });
});
