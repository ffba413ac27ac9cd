import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  type ClaimRequest,
  type CommitRequest,
  MAX_HISTORY_ENTRIES,
  type RunRecord,
  type RunStore,
} from '@baton/core';

/** One case of the store contract: throws (an `AssertionError`) when the store breaks it. */
export interface RunStoreContractCase {
  readonly name: string;
  run(store: RunStore): Promise<void>;
}

const NOW = 1_800_000_000_000;
const LIVE = NOW + 60_000;
const NONCE = 'N'.repeat(22);

/** A first job's claim on a fresh run id. */
function firstClaim(overrides: Partial<ClaimRequest> = {}): ClaimRequest {
  return {
    runId: randomBytes(16).toString('hex'),
    jobId: `job-${randomUUID()}`,
    jobSeq: 0,
    owner: `owner-${randomUUID()}`,
    requestId: `req-${randomUUID()}`,
    leaseUntil: LIVE,
    now: NOW,
    create: {
      jobName: 'contract',
      firstStep: 'start',
      nonce: NONCE,
      deadlineAt: NOW + 3_600_000,
      expiresAt: Math.floor(NOW / 1000) + 86_400,
    },
    ...overrides,
  };
}

/** A continuation's claim on `run`'s next job. */
function nextClaim(run: RunRecord, overrides: Partial<ClaimRequest> = {}): ClaimRequest {
  return {
    runId: run.runId,
    jobId: `job-${randomUUID()}`,
    jobSeq: run.nextJobSeq,
    nonce: run.nonce,
    owner: `owner-${randomUUID()}`,
    requestId: `req-${randomUUID()}`,
    leaseUntil: LIVE + 120_000,
    now: NOW + 90_000,
    ...overrides,
  };
}

/** The commit of the job that claimed `run`. */
function commitOf(run: RunRecord, overrides: Partial<CommitRequest> = {}): CommitRequest {
  const jobId = run.nextJobId ?? 'job-unknown';
  const nextJobSeq = run.nextJobSeq + 1;
  return {
    runId: run.runId,
    owner: run.leaseOwner ?? 'owner-unknown',
    jobSeq: run.nextJobSeq,
    status: 'running',
    step: 'poll',
    stateJson: '{"polls":1}',
    nextJobSeq,
    attempt: 1,
    visit: 2,
    resumeAt: NOW + 30_000,
    progress: { percentComplete: 20, summary: 'poll 1' },
    outcome: {
      kind: 'continue',
      jobId,
      jobSeq: run.nextJobSeq,
      continuationToken: `bt1.${run.runId}.${nextJobSeq}.${run.nonce}`,
    },
    recentJobIds: [...(run.recentJobIds ?? []), jobId],
    now: NOW + 1000,
    expiresAt: Math.floor(NOW / 1000) + 2 * 86_400,
    history: {
      runId: run.runId,
      jobSeq: run.nextJobSeq,
      jobId,
      startedAt: NOW,
      committedAt: NOW + 1000,
      entries: [{ at: NOW + 500, step: 'start', attempt: 1, outcome: 'goTo', detail: 'poll' }],
    },
    ...overrides,
  };
}

async function claimed(store: RunStore, request: ClaimRequest): Promise<RunRecord> {
  const result = await store.claim(request);
  assert.ok(result.claimed, `claim of ${request.jobId} refused`);
  return result.run;
}

/** A run that committed its first job and waits for the continuation (jobSeq 1). */
async function continuedRun(store: RunStore): Promise<RunRecord> {
  const run = await claimed(store, firstClaim());
  assert.equal(await store.commit(commitOf(run)), true);
  const found = await store.getRun(run.runId);
  assert.ok(found);
  return found.run;
}

async function refused(store: RunStore, request: ClaimRequest): Promise<RunRecord | undefined> {
  const before = await store.getRun(request.runId);
  const result = await store.claim(request);
  assert.equal(result.claimed, false, `claim of ${request.jobId} should be refused`);
  if (result.claimed) throw new Error('unreachable');
  assert.deepEqual(result.current, before?.run, 'a refusal returns the run as it was');
  assert.deepEqual(await store.getRun(request.runId), before, 'a refusal changes nothing');
  return result.current;
}

/**
 * The semantics every {@link RunStore} must have, case by case: the claim
 * rule clause by clause, the lease, take-over, renewal and release, the
 * commit conditional on the lease, history, TTL fields, and what a repeated
 * request (its first answer lost) sees. Run it against each implementation
 * with the test runner of your choice; every case uses its own run ids, so
 * one store can serve them all.
 *
 * @example
 * ```ts
 * const store = new InMemoryRunStore();
 * for (const c of runStoreContract) it(c.name, () => c.run(store));
 * ```
 */
export const runStoreContract: readonly RunStoreContractCase[] = [
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
  {
    name: 'commit: writes the run, clears the lease and the claimed jobSeq, adds history',
    async run(store) {
      const run = await claimed(store, firstClaim());
      const request = commitOf(run);
      assert.equal(await store.commit(request), true);
      const found = await store.getRun(run.runId);
      const { leaseOwner, leaseUntil, leaseRequestId, leaseClaimedAt, nextJobId, ...kept } = run;
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
