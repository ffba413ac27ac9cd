import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AbandonRequest, ClaimRequest, CommitRequest, RunRecord, RunStore } from '@baton/core';

/** One case of the store contract: throws (an `AssertionError`) when the store breaks it. */
export interface RunStoreContractCase {
  readonly name: string;
  run(store: RunStore): Promise<void>;
}

export const NOW = 1_800_000_000_000;
export const LIVE = NOW + 60_000;
export const NONCE = 'N'.repeat(22);

/** A first job's claim on a fresh run id. */
export function firstClaim(overrides: Partial<ClaimRequest> = {}): ClaimRequest {
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
export function nextClaim(run: RunRecord, overrides: Partial<ClaimRequest> = {}): ClaimRequest {
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
export function commitOf(run: RunRecord, overrides: Partial<CommitRequest> = {}): CommitRequest {
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

export async function claimed(store: RunStore, request: ClaimRequest): Promise<RunRecord> {
  const result = await store.claim(request);
  assert.ok(result.claimed, `claim of ${request.jobId} refused`);
  return result.run;
}

/** A run that committed its first job and waits for the continuation (jobSeq 1). */
export async function continuedRun(store: RunStore): Promise<RunRecord> {
  const run = await claimed(store, firstClaim());
  assert.equal(await store.commit(commitOf(run)), true);
  const found = await store.getRun(run.runId);
  assert.ok(found);
  return found.run;
}

export async function refused(
  store: RunStore,
  request: ClaimRequest,
): Promise<RunRecord | undefined> {
  const before = await store.getRun(request.runId);
  const result = await store.claim(request);
  assert.equal(result.claimed, false, `claim of ${request.jobId} should be refused`);
  if (result.claimed) throw new Error('unreachable');
  assert.deepEqual(result.current, before?.run, 'a refusal returns the run as it was');
  assert.deepEqual(await store.getRun(request.runId), before, 'a refusal changes nothing');
  return result.current;
}

/** Abandoning `run` as last read, at `now`. */
export function abandonOf(
  run: RunRecord,
  now: number,
  overrides: Partial<AbandonRequest> = {},
): AbandonRequest {
  return {
    runId: run.runId,
    reason: 'no-reply',
    detail: 'no invocation has touched the run for 31 min',
    now,
    ifUpdatedAt: run.updatedAt,
    ...overrides,
  };
}
