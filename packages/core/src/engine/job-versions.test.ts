import { InMemoryRunStore } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { JobDefinitionError } from '../errors.js';
import { defineJob, type Job, type JobDefinition } from '../job/define-job.js';
import type { Migrate } from '../job/job-version.js';
import { goTo, succeed, wait } from '../job/transitions.js';
import type { Outcome } from '../store/run-record.js';
import { runIdForJob } from '../token/continuation-token.js';
import { jobEvent, quietLogger, RecordingReporter } from './engine-test-doubles.js';
import { runInvocation } from './run-invocation.js';

// Job versions on the in-memory store: a deployment of version 2 takes over a
// run version 1 left waiting between invocations, or fails it, naming both
// versions and the step; nothing throws into Lambda's retry.

/** Version 1: `start` records a deployment id, `poll` waits for it. */
function versionOne(calls: Record<string, number>) {
  return defineJob(v1Definition(calls));
}

function v1Definition(calls: Record<string, number>) {
  return {
    name: 'deploy',
    initialState: { id: '' },
    firstStep: 'start',
    steps: {
      start: () => {
        calls.v1start = (calls.v1start ?? 0) + 1;
        return goTo('poll', { id: 'd-1' });
      },
      poll: () => {
        calls.v1poll = (calls.v1poll ?? 0) + 1;
        return wait({ seconds: 60, summary: 'waiting' });
      },
    },
  } satisfies JobDefinition<{ id: string }, unknown, 'start' | 'poll'>;
}

type V2State = { deployment: { id: string }; checks: number };

/** Version 2: `poll` is now `watch`, and the state nests the id. */
function versionTwo(calls: Record<string, number>, migrate?: Migrate<V2State, 'begin' | 'watch'>) {
  return defineJob({
    name: 'deploy',
    version: 2,
    ...(migrate ? { migrate } : {}),
    initialState: { deployment: { id: '' }, checks: 0 } as V2State,
    firstStep: 'begin',
    steps: {
      begin: () => {
        calls.v2begin = (calls.v2begin ?? 0) + 1;
        return goTo('watch', { deployment: { id: 'd-2' } });
      },
      watch: ({ state }) => {
        calls.v2watch = (calls.v2watch ?? 0) + 1;
        return succeed({ outputVariables: { id: state.deployment.id }, summary: 'watched' });
      },
    },
  });
}

function setup() {
  const store = new InMemoryRunStore();
  const reporter = new RecordingReporter();
  let now = 1_800_000_000_000;
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
  const invoke = <S extends object>(job: Job<S>, event: unknown) =>
    runInvocation(
      job,
      event,
      { getRemainingTimeInMillis: () => 60_000, awsRequestId: `req-${now}` },
      { store, reporter, logger: quietLogger, clock },
    );
  /** Version 1 runs `start` and `poll` and hands on; returns the next job's event. */
  const leftWaitingByVersionOne = async (calls: Record<string, number>) => {
    const first = await invoke(versionOne(calls), jobEvent('job-0'));
    expect(first.outcome?.kind).toBe('continue');
    now += 61_000;
    return jobEvent('job-1', tokenOf(first.outcome));
  };
  const later = (ms: number) => {
    now += ms;
  };
  return { store, reporter, invoke, later, leftWaitingByVersionOne };
}

function tokenOf(outcome: Outcome | undefined): string {
  if (outcome?.kind !== 'continue') throw new Error('not a continuation');
  return outcome.continuationToken;
}

describe('job versions', () => {
  it('stores the version that wrote the run, by the claim and by each commit', async () => {
    const t = setup();
    const calls = {};
    await t.leftWaitingByVersionOne(calls);
    expect((await t.store.getRun(runIdForJob('job-0')))?.run.jobVersion).toBe(1);
  });

  it('carries a run of version 1 over with migrate: the new step and state, then version 2', async () => {
    const t = setup();
    const calls: Record<string, number> = {};
    const seen: unknown[] = [];
    const next = await t.leftWaitingByVersionOne(calls);
    const v2 = versionTwo(calls, (stored) => {
      seen.push(stored);
      return {
        step: stored.step === 'poll' ? 'watch' : 'begin',
        state: { deployment: { id: (stored.state as { id: string }).id }, checks: 0 },
      };
    });
    const result = await t.invoke(v2, next);
    expect(seen).toEqual([{ version: 1, step: 'poll', state: { id: 'd-1' } }]);
    expect(result).toMatchObject({
      kind: 'reported',
      outcome: { kind: 'succeed', outputVariables: { id: 'd-1' } },
    });
    expect(calls).toEqual({ v1start: 1, v1poll: 1, v2watch: 1 });
    const stored = await t.store.getRun(runIdForJob('job-0'));
    expect(stored?.run).toMatchObject({ jobVersion: 2, step: 'watch', status: 'succeeded' });
    expect(JSON.parse(stored?.run.stateJson ?? '')).toEqual({
      deployment: { id: 'd-1' },
      checks: 0,
    });
  });

  it.each([
    ['no migrate', undefined, /declares no migrate\(\) to carry it over/],
    [
      'migrate throws',
      () => {
        throw new TypeError('cannot read id');
      },
      /migrate\(\) threw: TypeError: cannot read id/,
    ],
    [
      'migrate returns an unknown step',
      () => ({ step: 'poll' as 'watch', state: { deployment: { id: '' }, checks: 0 } }),
      /migrate\(\) returned step 'poll', which is not one of the steps \(begin, watch\)/,
    ],
    [
      'migrate returns a state that is not an object',
      () => ({ step: 'watch' as const, state: 'nope' as unknown as V2State }),
      /the state migrate\(\) returned must be a JSON object/,
    ],
  ])(
    'fails the run with a committed JobFailed when %s, naming both versions and the step',
    async (_, migrate, why) => {
      const t = setup();
      const calls: Record<string, number> = {};
      const next = await t.leftWaitingByVersionOne(calls);
      const result = await t.invoke(versionTwo(calls, migrate), next);
      expect(result.kind).toBe('reported');
      expect(result.outcome).toMatchObject({
        kind: 'fail',
        failureType: 'JobFailed',
        message: expect.stringMatching(
          /^job deploy: the run was written by version 1 of the job at step 'poll', and this deployment runs version 2; /,
        ),
      });
      expect(result.outcome?.kind === 'fail' && result.outcome.message).toMatch(why);
      // No step of either version ran after the deployment; the failure is committed.
      expect(calls).toEqual({ v1start: 1, v1poll: 1 });
      const stored = await t.store.getRun(runIdForJob('job-0'));
      expect(stored?.run).toMatchObject({ status: 'failed', jobVersion: 1, step: 'poll' });
      expect(JSON.parse(stored?.run.stateJson ?? '')).toEqual({ id: 'd-1' });
      // A duplicate of that job, once the committer's invocation is over, re-sends the failure.
      t.later(61_000);
      const again = await t.invoke(versionTwo(calls, migrate), next);
      expect(again).toMatchObject({ kind: 'resent', outcome: result.outcome });
    },
  );

  it('fails a run of a newer version that an older deployment (a rollback) cannot carry back', async () => {
    const t = setup();
    const calls: Record<string, number> = {};
    const v1 = versionOne(calls);
    const newer = defineJob({ ...v1Definition(calls), version: 3 });
    const first = await t.invoke(newer, jobEvent('job-0'));
    expect((await t.store.getRun(runIdForJob('job-0')))?.run.jobVersion).toBe(3);
    const rolledBack = await t.invoke(v1, jobEvent('job-1', tokenOf(first.outcome)));
    expect(rolledBack.outcome).toMatchObject({
      kind: 'fail',
      message: expect.stringMatching(
        /written by version 3 of the job at step 'poll', and this deployment runs version 1; the job declares no migrate/,
      ),
    });
  });

  it('starts a run with no committed state at the new first step, without migrate', async () => {
    const t = setup();
    const calls: Record<string, number> = {};
    // Version 1's claim created the run and its process died before any commit.
    const v1 = versionOne(calls);
    const store = t.store;
    await store.claim({
      runId: runIdForJob('job-0'),
      jobId: 'job-0',
      jobSeq: 0,
      owner: 'dead',
      leaseUntil: 0,
      now: 1_799_999_000_000,
      create: {
        jobName: v1.name,
        firstStep: v1.firstStep,
        nonce: 'N'.repeat(22),
        deadlineAt: 1_800_003_600_000,
        expiresAt: 1_800_100_000,
        jobVersion: 1,
      },
    });
    const result = await t.invoke(versionTwo(calls), jobEvent('job-0'));
    expect(result.outcome).toMatchObject({ kind: 'succeed', outputVariables: { id: 'd-2' } });
    expect(calls).toEqual({ v2begin: 1, v2watch: 1 });
    expect((await store.getRun(runIdForJob('job-0')))?.run.jobVersion).toBe(2);
  });
});

describe('version and migrate are checked at definition', () => {
  const base = {
    name: 'v',
    initialState: {},
    firstStep: 'a' as const,
    steps: { a: () => succeed() },
  };

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2'])(
    'refuses version %s',
    (version) => {
      expect(() => defineJob({ ...base, version: version as number })).toThrow(JobDefinitionError);
      expect(() => defineJob({ ...base, version: version as number })).toThrow(
        /job v: version must be an integer from 1 to 9007199254740991/,
      );
    },
  );

  it('refuses a migrate that is not a function', () => {
    expect(() => defineJob({ ...base, version: 2, migrate: 'up' as never })).toThrow(
      /job v: migrate must be a function/,
    );
  });

  it('defaults the version to 1', () => {
    expect(defineJob(base).version).toBe(1);
    expect(defineJob({ ...base, version: 7 }).version).toBe(7);
  });
});
