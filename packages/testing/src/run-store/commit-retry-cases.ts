import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { RunRecord, RunStore } from '@baton/core';
import {
  claimed,
  commitOf,
  continuedRun,
  firstClaim,
  NOW,
  nextClaim,
  type RunStoreContractCase,
} from './contract-fixtures.js';

/** Jobs the crash cases run: enough for a store that moves history in groups to move several. */
const JOBS = 10;
/** Time between two claims in the crash cases: longer than a lease, so each finds it expired. */
const STEP_MS = 300_000;

/** The committed run as read back. */
async function read(store: RunStore, runId: string): Promise<RunRecord> {
  const found = await store.getRun(runId);
  assert.ok(found, `run ${runId} not found`);
  return found.run;
}

/**
 * Runs {@link JOBS} jobs on a new run. Job `n` is claimed `1 + crashesBefore(n)` times:
 * every claim but the last dies without committing (a crash after the claim,
 * after the previous commit), and the last one commits. (Job 0 is not
 * crashed: its re-claim would be a first job's.) Returns the run id and
 * the committed job ids, in jobSeq order.
 */
async function runWithCrashes(
  store: RunStore,
  crashesBefore: (jobSeq: number) => number,
): Promise<{ runId: string; jobIds: string[] }> {
  let at = NOW;
  const jobIds: string[] = [];
  let run = await claimed(store, firstClaim({ leaseUntil: NOW + 60_000 }));
  for (let jobSeq = 0; jobSeq < JOBS; jobSeq += 1) {
    const jobId = run.nextJobId as string;
    for (let crash = 0; crash < crashesBefore(jobSeq); crash += 1) {
      // The claim that held the lease died; this one of the same job takes the lease once it expired.
      at += STEP_MS;
      run = await claimed(store, nextClaim(run, { now: at, leaseUntil: at + 60_000, jobId }));
    }
    assert.equal(
      await store.commit(commitOf(run, { now: at + 1000, commitToken: randomUUID() })),
      true,
    );
    jobIds.push(jobId);
    if (jobSeq === JOBS - 1) break;
    at += STEP_MS;
    run = await claimed(
      store,
      nextClaim(await read(store, run.runId), { now: at, leaseUntil: at + 60_000 }),
    );
  }
  return { runId: run.runId, jobIds };
}

async function assertHistory(store: RunStore, runId: string, jobIds: string[]): Promise<void> {
  const found = await store.getRun(runId);
  assert.deepEqual(
    found?.history.map((record) => [record.jobSeq, record.jobId]),
    jobIds.map((jobId, jobSeq) => [jobSeq, jobId]),
    'one history record per committed job, in jobSeq order, none twice',
  );
  assert.equal(found?.run.historyCount, jobIds.length);
}

/**
 * A commit tried again (its first answer lost) and history whatever crashes
 * happen between claims and commits.
 */
export const commitRetryCases: readonly RunStoreContractCase[] = [
  {
    name: 'commit retried after an applied try whose answer was lost: committed, applied once',
    async run(store) {
      const run = await claimed(store, firstClaim());
      const request = commitOf(run, { commitToken: randomUUID() });
      assert.equal(await store.commit(request), true);
      const after = await store.getRun(run.runId);
      // The same request again, as the engine sends it when the first answer never came.
      assert.equal(await store.commit(request), true);
      assert.deepEqual(await store.getRun(run.runId), after, 'the retry changes nothing');
      assert.deepEqual(after?.run.outcome, request.outcome);
      assert.equal(after?.history.length, 1);
      assert.equal(after?.run.historyCount, 1);
    },
  },
  {
    name: 'commit retried: refused when the run moved on since, or the token is another commit’s',
    async run(store) {
      const run = await continuedRun(store);
      const next = await claimed(store, nextClaim(run));
      const request = commitOf(next, { commitToken: randomUUID() });
      // Another invocation's commit (another token) is not this one's.
      assert.equal(await store.commit({ ...request, commitToken: randomUUID() }), true);
      const before = await store.getRun(run.runId);
      assert.equal(await store.commit(request), false);
      assert.deepEqual(await store.getRun(run.runId), before);
      // A retry whose commit was applied, after the run moved on to the next job, is refused.
      const third = await claimed(store, nextClaim(await read(store, run.runId)));
      const thirdRequest = commitOf(third, { commitToken: randomUUID() });
      assert.equal(await store.commit(thirdRequest), true);
      const fourth = await claimed(
        store,
        nextClaim(await read(store, run.runId), { now: NOW + 200_000 }),
      );
      assert.equal(await store.commit(thirdRequest), false);
      assert.equal((await read(store, run.runId)).leaseOwner, fourth.leaseOwner);
    },
  },
  {
    name: 'history: a crash after each commit, before the next claim finishes, loses no record',
    async run(store) {
      const { runId, jobIds } = await runWithCrashes(store, (jobSeq) => (jobSeq > 0 ? 1 : 0));
      await assertHistory(store, runId, jobIds);
    },
  },
  {
    name: 'history: complete and in order under crashes of one to three claims per job',
    async run(store) {
      const { runId, jobIds } = await runWithCrashes(store, (jobSeq) =>
        jobSeq > 0 ? jobSeq % 4 : 0,
      );
      await assertHistory(store, runId, jobIds);
    },
  },
];
