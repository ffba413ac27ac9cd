import { InMemoryRunStore } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { defineJob } from '../job/define-job.js';
import { goTo, succeed } from '../job/transitions.js';
import { runIdForJob } from '../token/continuation-token.js';
import { jobEvent, quietLogger, RecordingReporter } from './engine-test-doubles.js';
import type { CommitRequest } from './ports/run-store.js';
import { runInvocation } from './run-invocation.js';

// The crash limit's message names the step the crashed holders were running,
// also when it is not the step the run was committed at.

/** A store whose commits, while `dying` is set, never answer: the process dies there. */
class DyingStore extends InMemoryRunStore {
  dying: (() => void) | undefined;
  public override commit(request: CommitRequest): Promise<boolean> {
    if (!this.dying) return super.commit(request);
    this.dying();
    return new Promise<boolean>(() => {});
  }
}

function setup() {
  let now = 1_800_000_000_000;
  const calls = { first: 0, second: 0 };
  const job = defineJob({
    name: 'chained',
    initialState: {},
    firstStep: 'first',
    steps: {
      first: () => {
        calls.first += 1;
        return goTo('second');
      },
      second: () => {
        calls.second += 1;
        return succeed();
      },
    },
  });
  const store = new DyingStore();
  const reporter = new RecordingReporter();
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
  const invoke = () =>
    runInvocation(
      job,
      jobEvent('job-0'),
      { getRemainingTimeInMillis: () => 60_000, awsRequestId: `req-${now}` },
      { store, reporter, logger: quietLogger, clock },
    );
  /** An invocation that runs its steps and dies before its commit answers. */
  const dies = async () => {
    await new Promise<void>((resolve) => {
      store.dying = resolve;
      void invoke();
    });
    store.dying = undefined;
    now += 120_000; // its lease runs out
  };
  return { calls, store, invoke, dies, advance: (ms: number) => (now += ms) };
}

describe('the crash limit names the running step', () => {
  it('names the step a crashed holder moved to after the committed one', async () => {
    const t = setup();
    await t.dies();
    await t.dies();
    expect(t.calls).toEqual({ first: 2, second: 2 });
    const result = await t.invoke();
    expect(result).toMatchObject({
      kind: 'reported',
      stepsRun: 0,
      outcome: {
        kind: 'fail',
        message: expect.stringMatching(
          /^step 'second' \(attempt 1\) was started by 2 invocations in a row .*\(crashLimit 3\)/,
        ),
      },
    });
    expect(t.calls).toEqual({ first: 2, second: 2 });
    // The failing commit clears what the holders recorded.
    expect((await t.store.peekRun(runIdForJob('job-0')))?.leaseStep).toBeUndefined();
  });

  it("names the committed step when the last holder did not record one (an older holder's record is stale)", async () => {
    const t = setup();
    const runId = runIdForJob('job-0');
    const claim = (owner: string, now: number) =>
      t.store.claim({
        runId,
        jobId: 'job-0',
        jobSeq: 0,
        owner,
        leaseUntil: now + 1000,
        now,
        create: {
          jobName: 'chained',
          firstStep: 'first',
          nonce: 'N'.repeat(22),
          deadlineAt: now + 1e9,
          expiresAt: 9e9,
        },
      });
    const start = 1_800_000_000_000;
    await claim('a', start);
    // The first holder records 'second' and dies; the second dies in 'first' without a record.
    await t.store.renewLease(runId, 'a', start + 10, { step: 'second', attempt: 1, claim: 1 });
    await claim('b', start + 60_000);
    t.advance(180_000);
    const result = await t.invoke();
    expect(result).toMatchObject({
      outcome: { kind: 'fail', message: expect.stringMatching(/^step 'first' \(attempt 1\)/) },
    });
  });
});
