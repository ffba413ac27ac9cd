import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MAX_HISTORY_ENTRIES, type RunRecord } from '@baton/core';
import {
  claimed,
  commitOf,
  continuedRun,
  firstClaim,
  NOW,
  nextClaim,
  type RunStoreContractCase,
} from './contract-fixtures.js';

/** The commit conditional on the lease, history, TTL fields, renewal, release and reads. */
export const commitCases: readonly RunStoreContractCase[] = [
  {
    name: 'commit: writes the run, clears the lease and the claimed jobSeq, adds history',
    async run(store) {
      const run = await claimed(store, firstClaim());
      const request = commitOf(run);
      assert.equal(await store.commit(request), true);
      const found = await store.getRun(run.runId);
      const {
        leaseOwner,
        leaseUntil,
        leaseRequestId,
        leaseClaimedAt,
        nextJobId,
        unfinishedClaims,
        unfinishedSince,
        ...kept
      } = run;
      assert.deepEqual(found?.run, {
        ...kept,
        status: 'running',
        step: 'poll',
        stateJson: '{"polls":1}',
        nextJobSeq: 1,
        attempt: 1,
        visit: 2,
        resumeAt: NOW + 30_000,
        progress: { percentComplete: 20, summary: 'poll 1' },
        outcome: request.outcome,
        recentJobIds: [run.nextJobId],
        updatedAt: NOW + 1000,
        historyCount: 1,
        expiresAt: request.expiresAt,
      });
      assert.deepEqual(found?.history, [request.history]);
    },
  },
  {
    name: 'commit: a final outcome keeps nextJobId; absent fields are removed, absent state kept',
    async run(store) {
      const run = await continuedRun(store);
      const next = await claimed(store, nextClaim(run));
      const outcome = { kind: 'succeed', jobId: next.nextJobId as string, jobSeq: 1 } as const;
      const {
        resumeAt: _r,
        progress: _p,
        stateJson: _s,
        ...request
      } = commitOf(next, {
        status: 'succeeded',
        nextJobSeq: 1,
        outcome,
      });
      assert.equal(await store.commit({ ...request, lastError: 'boom' }), true);
      const found = (await store.getRun(run.runId))?.run;
      assert.equal(found?.nextJobId, next.nextJobId);
      assert.equal(found?.resumeAt, undefined);
      assert.equal(found?.progress, undefined);
      assert.equal(found?.lastError, 'boom');
      assert.equal(found?.stateJson, '{"polls":1}');
      assert.equal(found?.historyCount, 2);
    },
  },
  {
    name: 'commit: refused without the lease (another owner) and nothing is written',
    async run(store) {
      const run = await claimed(store, firstClaim());
      const before = await store.getRun(run.runId);
      assert.equal(await store.commit(commitOf(run, { owner: 'not-the-holder' })), false);
      assert.deepEqual(await store.getRun(run.runId), before);
    },
  },
  {
    name: 'commit: refused for a jobSeq that is not the claimed one',
    async run(store) {
      const run = await claimed(store, firstClaim());
      const before = await store.getRun(run.runId);
      assert.equal(await store.commit(commitOf(run, { jobSeq: 1, nextJobSeq: 2 })), false);
      assert.deepEqual(await store.getRun(run.runId), before);
    },
  },
  {
    name: 'answer lost: repeating an applied commit is refused; the run shows its outcome',
    async run(store) {
      const run = await claimed(store, firstClaim());
      const request = commitOf(run);
      assert.equal(await store.commit(request), true);
      assert.equal(await store.commit(request), false);
      const found = await store.getRun(run.runId);
      assert.deepEqual(found?.run.outcome, request.outcome);
      assert.equal(found?.history.length, 1);
    },
  },
  {
    name: 'history: one item per committed jobSeq, in jobSeq order',
    async run(store) {
      let run = await claimed(store, firstClaim());
      const jobIds: string[] = [];
      for (let jobSeq = 0; jobSeq < 3; jobSeq += 1) {
        if (jobSeq > 0) run = await claimed(store, nextClaim(run, { now: NOW + jobSeq * 1000 }));
        jobIds.push(run.nextJobId as string);
        assert.equal(await store.commit(commitOf(run)), true);
        run = (await store.getRun(run.runId))?.run as RunRecord;
      }
      const found = await store.getRun(run.runId);
      assert.deepEqual(
        found?.history.map((h) => [h.jobSeq, h.jobId]),
        jobIds.map((id, i) => [i, id]),
      );
      assert.equal(found?.run.historyCount, 3);
    },
  },
  {
    name: `history: an item keeps the first and last ${MAX_HISTORY_ENTRIES / 2} entries and counts the rest`,
    async run(store) {
      const run = await claimed(store, firstClaim());
      const entries = Array.from({ length: MAX_HISTORY_ENTRIES + 30 }, (_, i) => ({
        at: NOW + i,
        step: 'poll',
        attempt: 1,
        outcome: 'wait',
        detail: `#${i}`,
      }));
      const request = commitOf(run);
      assert.equal(
        await store.commit({ ...request, history: { ...request.history, entries } }),
        true,
      );
      const [item] = (await store.getRun(run.runId))?.history ?? [];
      assert.equal(item?.entries.length, MAX_HISTORY_ENTRIES);
      assert.equal(item?.droppedEntries, 30);
      assert.equal(item?.entries[0]?.detail, '#0');
      assert.equal(item?.entries.at(-1)?.detail, `#${MAX_HISTORY_ENTRIES + 29}`);
    },
  },
  {
    name: 'ttl: expiresAt is set by the creating claim and moved by every commit',
    async run(store) {
      const request = firstClaim();
      const run = await claimed(store, request);
      assert.equal(run.expiresAt, request.create?.expiresAt);
      const later = Math.floor(NOW / 1000) + 30 * 86_400;
      assert.equal(await store.commit(commitOf(run, { expiresAt: later })), true);
      assert.equal((await store.getRun(run.runId))?.run.expiresAt, later);
    },
  },
  {
    name: 'renew: the holder renews leaseClaimedAt; anyone else is told no',
    async run(store) {
      const run = await claimed(store, firstClaim());
      assert.equal(await store.renewLease(run.runId, run.leaseOwner as string, NOW + 5000), true);
      assert.equal((await store.getRun(run.runId))?.run.leaseClaimedAt, NOW + 5000);
      assert.equal(await store.renewLease(run.runId, 'not-the-holder', NOW + 6000), false);
      assert.equal((await store.getRun(run.runId))?.run.leaseClaimedAt, NOW + 5000);
      assert.equal(await store.commit(commitOf(run)), true);
      assert.equal(await store.renewLease(run.runId, run.leaseOwner as string, NOW + 7000), false);
    },
  },
  {
    name: 'release: the holder gives the lease up (recording lastError); others change nothing',
    async run(store) {
      const run = await claimed(store, firstClaim());
      const before = await store.getRun(run.runId);
      await store.releaseLease(run.runId, 'not-the-holder', { lastError: 'x' });
      assert.deepEqual(await store.getRun(run.runId), before);
      await store.releaseLease(run.runId, run.leaseOwner as string, { lastError: 'crashed' });
      const found = (await store.getRun(run.runId))?.run;
      assert.equal(found?.leaseOwner, undefined);
      assert.equal(found?.leaseUntil, undefined);
      assert.equal(found?.leaseRequestId, undefined);
      assert.equal(found?.leaseClaimedAt, undefined);
      assert.equal(found?.lastError, 'crashed');
      // Released, the run can be claimed at once by the same job.
      await claimed(store, { ...firstClaim(), runId: run.runId, jobId: run.firstJobId });
    },
  },
  {
    name: 'read: an unknown run is undefined; listRuns yields runs up to its limit',
    async run(store) {
      assert.equal(await store.getRun(randomBytes(16).toString('hex')), undefined);
      const a = await claimed(store, firstClaim());
      const b = await claimed(store, firstClaim());
      const all: string[] = [];
      for await (const run of store.listRuns()) all.push(run.runId);
      assert.ok(all.includes(a.runId) && all.includes(b.runId));
      const limited: RunRecord[] = [];
      for await (const run of store.listRuns({ limit: 1 })) limited.push(run);
      assert.equal(limited.length, 1);
    },
  },
];
