import assert from 'node:assert/strict';
import type { RunRecord } from '@baton/core';
import {
  abandonOf,
  claimed,
  commitOf,
  continuedRun,
  firstClaim,
  LIVE,
  NOW,
  nextClaim,
  type RunStoreContractCase,
} from './contract-fixtures.js';

/** The store contract's cases for `traceParent` and `abandon`. */
export const abandonCases: readonly RunStoreContractCase[] = [
  {
    name: 'claim: a first job stores the traceparent it brings; later claims keep it',
    async run(store) {
      const traceParent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const base = firstClaim();
      const run = await claimed(store, {
        ...base,
        create: { ...(base.create as NonNullable<typeof base.create>), traceParent },
      });
      assert.equal(run.traceParent, traceParent);
      assert.equal(await store.commit(commitOf(run)), true);
      const next = await claimed(store, nextClaim({ ...run, nextJobSeq: 1 }));
      assert.equal(next.traceParent, traceParent);
      const plain = await claimed(store, firstClaim());
      assert.equal(plain.traceParent, undefined);
    },
  },
  {
    name: 'abandon: marks a run whose lease is free with reason, detail and time, and nothing else',
    async run(store) {
      const run = await continuedRun(store);
      const before = (await store.getRun(run.runId))?.run as RunRecord;
      const at = NOW + 31 * 60_000;
      assert.equal(await store.abandon(abandonOf(run, at)), true);
      const after = (await store.getRun(run.runId))?.run;
      assert.deepEqual(after, {
        ...before,
        status: 'abandoned',
        abandonedAt: at,
        abandonReason: 'no-reply',
        abandonDetail: 'no invocation has touched the run for 31 min',
      });
      // Once abandoned, a second mark does nothing, and no continuation may claim it.
      assert.equal(await store.abandon(abandonOf(run, at + 1, { reason: 'action-limit' })), false);
      assert.equal((await store.getRun(run.runId))?.run.abandonReason, 'no-reply');
      const claim = await store.claim(nextClaim(run, { now: at + 2, leaseUntil: at + 60_000 }));
      assert.equal(claim.claimed, false);
    },
  },
  {
    name: 'abandon: refused when the run moved since it was read, or a live lease holds it',
    async run(store) {
      const run = await continuedRun(store);
      // Claimed since the read: updatedAt moved, and the lease is live.
      const next = await claimed(store, nextClaim(run));
      assert.equal(await store.abandon(abandonOf(run, next.updatedAt + 1)), false);
      // Read again, but the lease is still live at `now`.
      assert.equal(await store.abandon(abandonOf(next, LIVE)), false);
      assert.equal((await store.getRun(run.runId))?.run.status, 'running');
      // Once the lease has expired, the same read may mark it.
      const expired = (next.leaseUntil ?? 0) + 1;
      assert.equal(await store.abandon(abandonOf(next, expired)), true);
      assert.equal((await store.getRun(run.runId))?.run.status, 'abandoned');
    },
  },
  {
    name: 'abandon: a finished run may be marked right after its commit (its report refused)',
    async run(store) {
      const run = await claimed(store, firstClaim());
      const commit = commitOf(run, {
        status: 'succeeded',
        nextJobSeq: 0,
        outcome: { kind: 'succeed', jobId: run.firstJobId, jobSeq: 0 },
      });
      assert.equal(await store.commit(commit), true);
      assert.equal(
        await store.abandon(
          abandonOf(run, commit.now + 5, { ifUpdatedAt: commit.now, reason: 'job-refused' }),
        ),
        true,
      );
      const after = (await store.getRun(run.runId))?.run;
      assert.equal(after?.status, 'abandoned');
      assert.equal(after?.abandonReason, 'job-refused');
      assert.equal(after?.outcome?.kind, 'succeed');
    },
  },
  {
    name: 'listRuns with a status: whole runs stored with it, and none with another',
    async run(store) {
      const running = await continuedRun(store);
      const done = await claimed(store, firstClaim());
      const commit = commitOf(done, {
        status: 'succeeded',
        nextJobSeq: 0,
        outcome: { kind: 'succeed', jobId: done.firstJobId, jobSeq: 0 },
      });
      assert.equal(await store.commit(commit), true);
      const gone = await continuedRun(store);
      assert.equal(await store.abandon(abandonOf(gone, NOW + 31 * 60_000)), true);
      const listed = async (status: RunRecord['status']) => {
        const runs: RunRecord[] = [];
        for await (const run of store.listRuns({ status })) runs.push(run);
        assert.ok(runs.every((run) => run.status === status));
        return new Map(runs.map((run) => [run.runId, run]));
      };
      const runningRuns = await listed('running');
      // The whole run, as getRun reads it: the sweep judges by every field.
      assert.deepEqual(runningRuns.get(running.runId), (await store.getRun(running.runId))?.run);
      assert.ok(!runningRuns.has(done.runId) && !runningRuns.has(gone.runId));
      assert.ok((await listed('succeeded')).has(done.runId));
      assert.ok((await listed('abandoned')).has(gone.runId));
    },
  },
  {
    name: 'abandon: an unknown run is refused',
    async run(store) {
      const ghost = { runId: '0'.repeat(32), updatedAt: NOW } as RunRecord;
      assert.equal(await store.abandon(abandonOf(ghost, NOW)), false);
    },
  },
];
