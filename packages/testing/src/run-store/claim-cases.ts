import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ClaimRequest, RunRecord } from '@baton/core';
import {
  claimed,
  commitOf,
  continuedRun,
  firstClaim,
  LIVE,
  NONCE,
  NOW,
  nextClaim,
  type RunStoreContractCase,
  refused,
} from './contract-fixtures.js';

/** The claim rule clause by clause, the lease, take-over, and a claim whose answer was lost. */
export const claimCases: readonly RunStoreContractCase[] = [
  {
    name: 'claim: every claim adds one to unfinishedClaims until a commit clears it',
    async run(store) {
      const first = firstClaim();
      const run = await claimed(store, first);
      assert.equal(run.unfinishedClaims, 1);
      // Lambda's retry of a dead attempt takes the lease over: a second claim without a commit.
      const later = { now: NOW + 60_000, owner: 'retry', takeOverFrom: first.owner };
      const retried = await claimed(store, { ...first, ...later });
      assert.equal(retried.unfinishedClaims, 2);
      assert.equal(retried.unfinishedSince, NOW, 'the first unfinished claim is remembered');
      assert.equal(await store.commit(commitOf(retried)), true);
      const found = await store.getRun(run.runId);
      assert.equal(found?.run.unfinishedClaims, undefined);
      assert.equal(found?.run.unfinishedSince, undefined);
      const next = await claimed(store, nextClaim(found?.run as RunRecord));
      assert.equal(next.unfinishedClaims, 1);
      assert.equal(next.unfinishedSince, NOW + 90_000);
    },
  },
  {
    name: 'claim: a first job creates the run and holds its lease',
    async run(store) {
      const request = firstClaim();
      const run = await claimed(store, request);
      assert.deepEqual(run, {
        runId: request.runId,
        jobName: 'contract',
        firstJobId: request.jobId,
        status: 'running',
        step: 'start',
        nextJobSeq: 0,
        nextJobId: request.jobId,
        nonce: NONCE,
        attempt: 1,
        visit: 1,
        leaseOwner: request.owner,
        leaseUntil: LIVE,
        leaseRequestId: request.requestId,
        leaseClaimedAt: NOW,
        createdAt: NOW,
        updatedAt: NOW,
        deadlineAt: NOW + 3_600_000,
        historyCount: 0,
        expiresAt: request.create?.expiresAt,
        unfinishedClaims: 1,
        unfinishedSince: NOW,
      });
      assert.deepEqual(await store.getRun(request.runId), { run, history: [] });
    },
  },
  {
    name: 'claim: without a request id no leaseRequestId is stored',
    async run(store) {
      const { requestId: _none, ...request } = firstClaim();
      const run = await claimed(store, request);
      assert.equal(run.leaseRequestId, undefined);
    },
  },
  {
    name: 'claim: lease-free refuses while another live invocation holds the lease',
    async run(store) {
      const first = firstClaim();
      await claimed(store, first);
      const current = await refused(store, { ...first, owner: 'another', now: LIVE - 1 });
      assert.equal(current?.leaseOwner, first.owner);
      // Expiry is strict: at leaseUntil itself the lease is still held.
      await refused(store, { ...first, owner: 'another', now: LIVE });
    },
  },
  {
    name: 'claim: a lease past its end is free; the run keeps its own fields',
    async run(store) {
      const first = firstClaim();
      await claimed(store, first);
      const again = {
        ...first,
        owner: 'second',
        now: LIVE + 1,
        leaseUntil: LIVE + 60_000,
        create: { ...(first.create as NonNullable<ClaimRequest['create']>), nonce: 'X'.repeat(22) },
      };
      const run = await claimed(store, again);
      assert.equal(run.leaseOwner, 'second');
      assert.equal(run.leaseClaimedAt, LIVE + 1);
      assert.equal(run.nonce, NONCE, 'created fields are not overwritten');
      assert.equal(run.createdAt, NOW);
      assert.equal(run.updatedAt, LIVE + 1);
    },
  },
  {
    name: 'claim: run-exists refuses a continuation of a run the store does not hold',
    async run(store) {
      const current = await refused(store, {
        runId: randomBytes(16).toString('hex'),
        jobId: 'job-x',
        jobSeq: 1,
        nonce: NONCE,
        owner: 'o',
        leaseUntil: LIVE,
        now: NOW,
      });
      assert.equal(current, undefined);
    },
  },
  {
    name: 'claim: nonce-matches refuses a token with another nonce',
    async run(store) {
      const run = await continuedRun(store);
      await refused(store, nextClaim(run, { nonce: 'F'.repeat(22) }));
    },
  },
  {
    name: 'claim: running refuses a run that has finished',
    async run(store) {
      const run = await claimed(store, firstClaim());
      const outcome = { kind: 'succeed', jobId: run.nextJobId as string, jobSeq: 0 } as const;
      assert.equal(
        await store.commit(commitOf(run, { status: 'succeeded', nextJobSeq: 0, outcome })),
        true,
      );
      const finished = (await store.getRun(run.runId))?.run as RunRecord;
      assert.equal(finished.status, 'succeeded');
      await refused(store, nextClaim(finished));
    },
  },
  {
    name: 'claim: seq-current refuses an older and a newer jobSeq',
    async run(store) {
      const run = await continuedRun(store);
      await refused(store, nextClaim(run, { jobSeq: 0 }));
      await refused(store, nextClaim(run, { jobSeq: 2 }));
      await claimed(store, nextClaim(run));
    },
  },
  {
    name: 'claim: seq-free refuses a job other than the one that claimed the jobSeq',
    async run(store) {
      const run = await continuedRun(store);
      const first = nextClaim(run);
      await claimed(store, first);
      const late = first.leaseUntil + 1;
      await refused(store, nextClaim(run, { now: late }));
      // The same job, once the lease has passed, may claim again.
      const again = await claimed(store, { ...first, owner: 'again', now: late });
      assert.equal(again.nextJobId, first.jobId);
    },
  },
  {
    name: 'take-over: a live lease is taken only from the owner named',
    async run(store) {
      const first = firstClaim();
      await claimed(store, first);
      await refused(store, { ...first, owner: 'retry', takeOverFrom: 'someone-else' });
      const run = await claimed(store, { ...first, owner: 'retry', takeOverFrom: first.owner });
      assert.equal(run.leaseOwner, 'retry');
      // The dead holder's take-over chance is gone once the lease changed hands.
      await refused(store, { ...first, owner: 'third', takeOverFrom: first.owner });
    },
  },
  {
    name: 'answer lost: repeating an applied claim is refused and shows the own lease',
    async run(store) {
      const first = firstClaim();
      await claimed(store, first);
      const current = await refused(store, first);
      assert.equal(current?.leaseOwner, first.owner);
    },
  },
];
