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
];
