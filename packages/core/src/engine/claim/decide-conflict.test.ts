import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../store/run-record.js';
import { type ConflictingJob, decideConflict } from './decide-conflict.js';

const NOW = 1_000_000;
const run: RunRecord = {
  runId: 'r',
  jobName: 'j',
  firstJobId: 'job-0',
  status: 'running',
  step: 'poll',
  nextJobSeq: 2,
  nonce: 'nonce',
  attempt: 1,
  visit: 1,
  createdAt: 0,
  updatedAt: 0,
  deadlineAt: NOW * 10,
  historyCount: 2,
  expiresAt: 1,
  recentJobIds: ['job-0', 'job-1'],
  outcome: { kind: 'continue', jobId: 'job-1', jobSeq: 1, continuationToken: 't' },
};
const job: ConflictingJob = {
  jobId: 'job-2',
  jobSeq: 2,
  nonce: 'nonce',
  requestId: 'req-2',
  now: NOW,
  takeoverAfterMs: 50_000,
};

describe('decideConflict', () => {
  it('rejects a token for a run the table does not hold', () => {
    expect(decideConflict(undefined, job)).toMatchObject({
      kind: 'reject',
      message: expect.stringMatching(/names a run this table does not hold/),
    });
  });

  it('rejects a wrong nonce before anything else', () => {
    expect(decideConflict(run, { ...job, jobId: 'job-1', nonce: 'forged' })).toMatchObject({
      kind: 'reject',
      message: expect.stringMatching(/wrong nonce/),
    });
  });

  it('re-sends the outcome of a job that committed it', () => {
    expect(decideConflict(run, { ...job, jobId: 'job-1', jobSeq: 1 })).toEqual({ kind: 'resend' });
  });

  it('leaves the report to a live committer, and lets a retry of its request take it over', () => {
    const reporting: RunRecord = {
      ...run,
      updatedAt: NOW - 1_000,
      reportOwner: 'committer',
      reportRequestId: 'req-1',
      reportUntil: NOW + 30_000,
    };
    const duplicate = { ...job, jobId: 'job-1', jobSeq: 1 };
    // Another request, or this one too soon to be Lambda's retry: quiet.
    expect(decideConflict(reporting, duplicate)).toEqual({ kind: 'reporting' });
    expect(decideConflict(reporting, { ...duplicate, requestId: 'req-1' })).toEqual({
      kind: 'reporting',
    });
    // Lambda's retry of the committer's request, old enough: the committer is dead.
    expect(
      decideConflict(reporting, { ...duplicate, requestId: 'req-1', takeoverAfterMs: 1_000 }),
    ).toEqual({ kind: 'take-over-report', previousOwner: 'committer' });
    // The committer's invocation is over: anyone re-sends.
    expect(decideConflict({ ...reporting, reportUntil: NOW - 1 }, duplicate)).toEqual({
      kind: 'resend',
    });
  });

  it('tells a stale redelivery from a reused token', () => {
    expect(decideConflict(run, { ...job, jobId: 'job-0', jobSeq: 1 })).toEqual({ kind: 'stale' });
    expect(decideConflict(run, { ...job, jobId: 'new-job', jobSeq: 1 })).toMatchObject({
      kind: 'reject',
      message: 'continuationToken of sequence 1 was already used: run r is at sequence 2',
    });
  });

  it('rejects a continuation of a finished run', () => {
    expect(decideConflict({ ...run, status: 'failed' }, job)).toMatchObject({
      kind: 'reject',
      message: 'run r already failed; continuationToken of sequence 2 cannot continue it',
    });
  });

  it('rejects a jobSeq the run has not reached', () => {
    expect(decideConflict(run, { ...job, jobSeq: 5 })).toMatchObject({
      kind: 'reject',
      message: 'continuationToken has sequence 5 but run r is at 2: not a token Baton issued',
    });
  });

  it('rejects a token another job claimed first', () => {
    expect(decideConflict({ ...run, nextJobId: 'job-x' }, job)).toMatchObject({
      kind: 'reject',
      message: 'continuationToken of sequence 2 was already used by job job-x',
    });
  });

  it('takes over from the same request once its lease is old enough', () => {
    const held = { ...run, leaseOwner: 'dead', leaseRequestId: 'req-2', leaseClaimedAt: NOW };
    expect(decideConflict(held, { ...job, now: NOW + 49_999 })).toEqual({ kind: 'in-progress' });
    expect(decideConflict(held, { ...job, now: NOW + 50_000 })).toEqual({
      kind: 'take-over',
      previousOwner: 'dead',
    });
    expect(decideConflict(held, { ...job, requestId: 'req-3', now: NOW + 60_000 })).toEqual({
      kind: 'in-progress',
    });
  });
});
