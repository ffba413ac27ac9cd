import { runStoreContract } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../store/run-record.js';
import type { ClaimRequest } from '../ports/run-store.js';
import { ClaimClause, claimClauses, claimRefusal } from './claim-rule.js';

const NOW = 1_000_000;
const run: RunRecord = {
  runId: 'r',
  jobName: 'j',
  firstJobId: 'job-0',
  status: 'running',
  step: 'poll',
  nextJobSeq: 1,
  nonce: 'nonce',
  attempt: 1,
  visit: 1,
  createdAt: 0,
  updatedAt: 0,
  deadlineAt: NOW * 10,
  historyCount: 1,
  expiresAt: 1,
};
const continuation: ClaimRequest = {
  runId: 'r',
  jobId: 'job-1',
  jobSeq: 1,
  nonce: 'nonce',
  owner: 'me',
  leaseUntil: NOW + 60_000,
  now: NOW,
};
const first: ClaimRequest = {
  ...continuation,
  jobId: 'job-0',
  jobSeq: 0,
  nonce: undefined,
  create: { jobName: 'j', firstStep: 'a', nonce: 'n', deadlineAt: 1, expiresAt: 1 },
};

describe('claim rule', () => {
  it('lets a first job create a run that does not exist', () => {
    expect(claimRefusal(undefined, first)).toBeUndefined();
  });

  it('checks the token clauses only on continuations', () => {
    expect(claimClauses(first)).toEqual(['running', 'seq-current', 'seq-free', 'lease-free']);
    expect(claimClauses(continuation)).toEqual(Object.values(ClaimClause));
  });

  it('holds for the next job of a running run with no lease', () => {
    expect(claimRefusal(run, continuation)).toBeUndefined();
  });

  // One case per clause, in which that clause alone fails.
  it.each<[ClaimClause, RunRecord | undefined, ClaimRequest]>([
    ['run-exists', undefined, continuation],
    ['nonce-matches', run, { ...continuation, nonce: 'forged' }],
    ['running', { ...run, status: 'succeeded' }, continuation],
    ['seq-current', run, { ...continuation, jobSeq: 0 }],
    ['seq-current', run, { ...continuation, jobSeq: 2 }],
    ['seq-free', { ...run, nextJobId: 'job-other' }, continuation],
    ['lease-free', { ...run, leaseOwner: 'other', leaseUntil: NOW }, continuation],
    ['lease-free', { ...run, leaseOwner: 'other' }, continuation],
    ['lease-free', { ...run, leaseOwner: 'other' }, { ...continuation, takeOverFrom: 'dead' }],
  ])('refuses on %s', (clause, current, request) => {
    expect(claimRefusal(current, request)).toBe(clause);
  });

  it('frees a lease strictly after leaseUntil, and a take-over only from the named owner', () => {
    const held = { ...run, leaseOwner: 'other', leaseUntil: NOW - 1 };
    expect(claimRefusal(held, continuation)).toBeUndefined();
    const live = { ...run, leaseOwner: 'dead', leaseUntil: NOW + 5000 };
    expect(claimRefusal(live, { ...continuation, takeOverFrom: 'dead' })).toBeUndefined();
  });

  it('lets the job that claimed nextJobSeq claim it again', () => {
    expect(claimRefusal({ ...run, nextJobId: 'job-1' }, continuation)).toBeUndefined();
  });

  it('has a store contract case for every clause, so each store is held to it', () => {
    for (const clause of Object.values(ClaimClause)) {
      expect(runStoreContract.some((c) => c.name.includes(clause))).toBe(true);
    }
  });
});
