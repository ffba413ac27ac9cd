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

const WINDOW = 20 * 60_000;

/** The reply deadline a job's first claim stores, and who keeps or clears it. */
export const replyWindowCases: readonly RunStoreContractCase[] = [
  {
    name: "reply window: a job's first claim stores replyBy; a later claim of the same job keeps it",
    async run(store) {
      const first = firstClaim({ replyBy: NOW + WINDOW });
      const run = await claimed(store, first);
      assert.equal(run.replyBy, NOW + WINDOW);
      // Lambda's retry of a dead attempt, eleven minutes later: the window is the job's, not the claim's.
      const retry = {
        ...first,
        owner: 'retry',
        takeOverFrom: first.owner,
        now: NOW + 11 * 60_000,
        replyBy: NOW + 31 * 60_000,
      };
      const retried = await claimed(store, retry);
      assert.equal(retried.replyBy, NOW + WINDOW);
      assert.equal((await store.getRun(run.runId))?.run.replyBy, NOW + WINDOW);
    },
  },
  {
    name: 'reply window: a commit that hands on clears replyBy; the next job stores its own',
    async run(store) {
      const run = await claimed(store, firstClaim({ replyBy: NOW + WINDOW }));
      assert.equal(await store.commit(commitOf(run)), true);
      const handedOn = (await store.getRun(run.runId))?.run as RunRecord;
      assert.equal(handedOn.replyBy, undefined);
      const next = await claimed(store, nextClaim(handedOn, { replyBy: NOW + 90_000 + WINDOW }));
      assert.equal(next.replyBy, NOW + 90_000 + WINDOW);
    },
  },
  {
    name: 'reply window: a claim without replyBy stores none',
    async run(store) {
      const { replyBy: _none, ...request } = firstClaim();
      const run = await claimed(store, request);
      assert.equal(run.replyBy, undefined);
    },
  },
];
