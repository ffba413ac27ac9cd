import assert from 'node:assert/strict';
import type { RunRecord } from '@baton/core';
import {
  abandonOf,
  claimed,
  commitOf,
  firstClaim,
  LIVE,
  NOW,
  nextClaim,
  type RunStoreContractCase,
} from './contract-fixtures.js';

const UNTIL = NOW + 59_000;

/** A run whose first job's commit named its committer the reporter. */
async function reportedRun(store: Parameters<RunStoreContractCase['run']>[0]) {
  const run = await claimed(store, firstClaim());
  const commit = commitOf(run, { reporting: { until: UNTIL, requestId: 'req-committer' } });
  assert.equal(await store.commit(commit), true);
  const after = (await store.getRun(run.runId))?.run as RunRecord;
  return { run: after, committer: commit.owner };
}

/** The store contract's cases for who reports a committed outcome. */
export const reportOwnerCases: readonly RunStoreContractCase[] = [
  {
    name: 'commit: stores its reporter (owner, request id, until), and a commit without one clears it',
    async run(store) {
      const { run, committer } = await reportedRun(store);
      assert.equal(run.reportOwner, committer);
      assert.equal(run.reportRequestId, 'req-committer');
      assert.equal(run.reportUntil, UNTIL);
      const next = await claimed(store, nextClaim(run));
      // The claim leaves the reporter of the last outcome as it is.
      assert.equal(next.reportOwner, committer);
      assert.equal(await store.commit(commitOf(next, { now: NOW + 95_000 })), true);
      const cleared = (await store.getRun(run.runId))?.run;
      assert.equal(cleared?.reportOwner, undefined);
      assert.equal(cleared?.reportRequestId, undefined);
      assert.equal(cleared?.reportUntil, undefined);
    },
  },
  {
    name: 'takeOverReport: only while the reporter is the one named; the rest of the run unchanged',
    async run(store) {
      const { run, committer } = await reportedRun(store);
      const takeOver = {
        runId: run.runId,
        owner: 'retry-1',
        requestId: 'req-committer',
        until: LIVE,
      };
      assert.equal(await store.takeOverReport({ ...takeOver, from: 'someone-else' }), false);
      assert.deepEqual((await store.getRun(run.runId))?.run, run);
      assert.equal(await store.takeOverReport({ ...takeOver, from: committer }), true);
      assert.deepEqual((await store.getRun(run.runId))?.run, {
        ...run,
        reportOwner: 'retry-1',
        reportUntil: LIVE,
      });
      // A second retry that read the committer as reporter comes too late.
      assert.equal(
        await store.takeOverReport({ ...takeOver, owner: 'retry-2', from: committer }),
        false,
      );
      // A run with no reporter has nothing to take over.
      const plain = await claimed(store, firstClaim());
      assert.equal(await store.commit(commitOf(plain)), true);
      assert.equal(
        await store.takeOverReport({ ...takeOver, runId: plain.runId, from: committer }),
        false,
      );
    },
  },
  {
    name: 'abandon: with ifReportOwner, only while that invocation is still the reporter',
    async run(store) {
      const { run, committer } = await reportedRun(store);
      const abandon = abandonOf(run, NOW + 2_000, { reason: 'job-refused', detail: 'refused' });
      assert.equal(
        await store.takeOverReport({
          runId: run.runId,
          from: committer,
          owner: 'retry',
          until: LIVE,
        }),
        true,
      );
      assert.equal(await store.abandon({ ...abandon, ifReportOwner: committer }), false);
      assert.equal((await store.getRun(run.runId))?.run.status, 'running');
      assert.equal(await store.abandon({ ...abandon, ifReportOwner: 'retry' }), true);
      assert.equal((await store.getRun(run.runId))?.run.status, 'abandoned');
    },
  },
];
