import assert from 'node:assert/strict';
import {
  claimed,
  commitOf,
  firstClaim,
  NOW,
  nextClaim,
  type RunStoreContractCase,
} from './contract-fixtures.js';

/** The job version a run stores: set by its creating claim, changed only by a commit that says so. */
export const jobVersionCases: readonly RunStoreContractCase[] = [
  {
    name: 'job version: the claim that creates a run stores its jobVersion; a later claim keeps it',
    async run(store) {
      const base = firstClaim();
      const request = { ...base, create: { ...(base.create as object), jobVersion: 3 } };
      const run = await claimed(store, request as typeof base);
      assert.equal(run.jobVersion, 3);
      assert.equal(await store.commit(commitOf(run, { jobVersion: 3 })), true);
      const handedOn = (await store.getRun(run.runId))?.run;
      assert.ok(handedOn);
      const next = await claimed(store, nextClaim(handedOn));
      assert.equal(next.jobVersion, 3);
    },
  },
  {
    name: 'job version: a commit with jobVersion stores it; one without leaves it as it is',
    async run(store) {
      const base = firstClaim();
      const request = { ...base, create: { ...(base.create as object), jobVersion: 1 } };
      const run = await claimed(store, request as typeof base);
      assert.equal(await store.commit(commitOf(run, { jobVersion: 2 })), true);
      const handedOn = (await store.getRun(run.runId))?.run;
      assert.equal(handedOn?.jobVersion, 2);
      assert.ok(handedOn);
      const next = await claimed(store, nextClaim(handedOn));
      const { stateJson: _kept, ...failing } = commitOf(next, {
        status: 'failed',
        nextJobSeq: next.nextJobSeq,
        now: NOW + 100_000,
      });
      assert.equal(await store.commit(failing), true);
      assert.equal((await store.getRun(run.runId))?.run.jobVersion, 2);
    },
  },
  {
    name: 'job version: a run created without one has none (version 1 to the engine)',
    async run(store) {
      const run = await claimed(store, firstClaim());
      assert.equal(run.jobVersion, undefined);
    },
  },
];
