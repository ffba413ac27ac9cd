import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  claimed,
  commitOf,
  continuedRun,
  firstClaim,
  type RunStoreContractCase,
} from './contract-fixtures.js';

/** `peekRun`: the run item as `getRun` has it, read without changing anything. */
export const peekCases: readonly RunStoreContractCase[] = [
  {
    name: 'peekRun: no such run is undefined, and the read creates none',
    async run(store) {
      const runId = randomBytes(16).toString('hex');
      assert.equal(await store.peekRun(runId), undefined);
      assert.equal(await store.getRun(runId), undefined);
    },
  },
  {
    name: 'peekRun: a committed run is its run item, outcome included, and stays as it was',
    async run(store) {
      const run = await continuedRun(store);
      const before = await store.getRun(run.runId);
      const peeked = await store.peekRun(run.runId);
      assert.deepEqual(peeked, before?.run);
      assert.equal(peeked?.outcome?.kind, 'continue');
      assert.deepEqual(await store.getRun(run.runId), before, 'a peek changes nothing');
    },
  },
  {
    name: 'peekRun: a claimed run shows its lease, and the lease stays held',
    async run(store) {
      const run = await claimed(store, firstClaim());
      const peeked = await store.peekRun(run.runId);
      assert.equal(peeked?.leaseOwner, run.leaseOwner);
      assert.equal(peeked?.unfinishedClaims, 1);
      // The holder still commits: the read took nothing from it.
      assert.equal(await store.commit(commitOf(run)), true);
    },
  },
];
