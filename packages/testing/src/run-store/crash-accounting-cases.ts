import assert from 'node:assert/strict';
import type { RunRecord } from '@baton/core';
import {
  claimed,
  commitOf,
  firstClaim,
  NOW,
  nextClaim,
  type RunStoreContractCase,
} from './contract-fixtures.js';

/** The crash counts a commit keeps or clears, across jobs. */
export const crashAccountingCases: readonly RunStoreContractCase[] = [
  {
    name: 'commit: unfinishedClaimsLeft keeps the earlier claims (and unfinishedSince) for the next job',
    async run(store) {
      const first = firstClaim();
      await claimed(store, first);
      // Lambda's retry of the dead attempt hands the run on without a step.
      const retry = { now: NOW + 60_000, owner: 'retry', takeOverFrom: first.owner };
      const retried = await claimed(store, { ...first, ...retry });
      assert.equal(retried.unfinishedClaims, 2);
      const handOn = commitOf(retried, { unfinishedClaimsLeft: 1 });
      assert.equal(await store.commit(handOn), true);
      const kept = (await store.getRun(first.runId))?.run as RunRecord;
      assert.equal(kept.unfinishedClaims, 1);
      assert.equal(kept.carriedClaims, 1);
      assert.equal(kept.unfinishedSince, NOW, 'the first unfinished claim is remembered');
      assert.equal(kept.leaseOwner, undefined);
      // The next job's claim adds to them; a commit after a step clears them all.
      const next = await claimed(store, nextClaim(kept));
      assert.equal(next.unfinishedClaims, 2);
      assert.equal(next.carriedClaims, 1);
      assert.equal(next.unfinishedSince, NOW);
      assert.equal(await store.commit(commitOf(next, { unfinishedClaimsLeft: 0 })), true);
      const cleared = (await store.getRun(first.runId))?.run;
      assert.equal(cleared?.unfinishedClaims, undefined);
      assert.equal(cleared?.carriedClaims, undefined);
      assert.equal(cleared?.unfinishedSince, undefined);
    },
  },
  {
    name: 'renewLease: leaseStep records the running step; a claim keeps it readable, a release or a commit clears it',
    async run(store) {
      const first = firstClaim();
      const run = await claimed(store, first);
      const running = { step: 'deploy', attempt: 2, claim: 1 };
      assert.equal(await store.renewLease(run.runId, first.owner, NOW + 5000, running), true);
      assert.deepEqual((await store.getRun(run.runId))?.run.leaseStep, running);
      // A renewal without a step leaves the recorded one.
      assert.equal(await store.renewLease(run.runId, first.owner, NOW + 6000), true);
      // Not the holder: nothing is written.
      const other = { step: 'other', attempt: 1, claim: 1 };
      assert.equal(await store.renewLease(run.runId, 'not-the-holder', NOW + 7000, other), false);
      // The holder dies; Lambda's retry takes the lease over and reads what it recorded.
      const retry = { now: NOW + 60_000, owner: 'retry', takeOverFrom: first.owner };
      const retried = await claimed(store, { ...first, ...retry });
      assert.deepEqual(retried.leaseStep, running);
      // Recorded again by the retry, then cleared by its release.
      assert.equal(await store.renewLease(run.runId, 'retry', NOW + 61_000, running), true);
      await store.releaseLease(run.runId, 'retry', { lastError: 'boom' });
      const released = (await store.getRun(run.runId))?.run as RunRecord;
      assert.equal(released.leaseStep, undefined);
      // A commit clears it too.
      const again = await claimed(store, { ...first, now: NOW + 120_000, owner: 'third' });
      assert.equal(await store.renewLease(run.runId, 'third', NOW + 121_000, running), true);
      assert.equal(await store.commit(commitOf(again)), true);
      assert.equal((await store.getRun(run.runId))?.run.leaseStep, undefined);
    },
  },
];
