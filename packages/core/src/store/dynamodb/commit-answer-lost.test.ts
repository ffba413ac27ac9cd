import { randomBytes, randomUUID } from 'node:crypto';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { systemClock } from '../../engine/clock.js';
import { commitWithRetries } from '../../engine/commit-retries.js';
import { quietLogger } from '../../engine/engine-test-doubles.js';
import type { CommitRequest } from '../../engine/ports/run-store.js';
import type { RunRecord } from '../run-record.js';
import { createTable } from '../table-definition.js';
import { DynamoDBRunStore } from './dynamodb-run-store.js';

// The commit is one UpdateItem, which has no client request token: when its
// answer is lost after DynamoDB applied it, the retry (the SDK's or the
// engine's) fails its condition, and the store must recognise its own commit
// in the item the failure returns instead of calling the lease lost.

const settings: DynamoDBClientConfig = {
  region: 'us-east-1',
  endpoint: inject('dynamodbEndpoint'),
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};
const tableName = `answer-lost-${randomUUID()}`;
const client = new DynamoDBClient(settings);
const store = new DynamoDBRunStore({ tableName, client });
beforeAll(() => createTable(client, tableName));
afterAll(() => client.destroy());

const NOW = Date.now();

/** An error as a 500 whose body never arrived: the SDK and the store take it for transient. */
function lostAnswer(): Error {
  return Object.assign(new Error('answer lost after the write was applied'), {
    name: 'InternalServerError',
    $metadata: { httpStatusCode: 500 },
  });
}

/**
 * A client whose first commit `UpdateItem` (or claim, with `target: 'claim'`)
 * reaches DynamoDB (and is applied) but whose answer is lost; `step` places
 * the loss inside the SDK's retries (`deserialize`) or outside them
 * (`initialize`, with one attempt).
 */
function losingClient(
  step: 'initialize' | 'deserialize',
  target: 'commit' | 'claim' = 'commit',
): DynamoDBClient {
  const losing = new DynamoDBClient({
    ...settings,
    ...(step === 'initialize' ? { maxAttempts: 1 } : {}),
  });
  let lost = false;
  /** Throws once, after the first commit went through. */
  const loseFirstCommitAnswer = (commandName: string | undefined, args: unknown): void => {
    const input = (args as { input?: { UpdateExpression?: string; ReturnValues?: string } }).input;
    const isTarget =
      target === 'claim'
        ? input?.ReturnValues === 'ALL_NEW'
        : (input?.UpdateExpression?.includes('pendingHistory') ?? false);
    if (commandName === 'UpdateItemCommand' && isTarget && !lost) {
      lost = true;
      throw lostAnswer();
    }
  };
  const name = 'loseCommitAnswer';
  if (step === 'initialize') {
    losing.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        loseFirstCommitAnswer(context.commandName, args);
        return out;
      },
      { step, name },
    );
  } else {
    losing.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        loseFirstCommitAnswer(context.commandName, args);
        return out;
      },
      { step, name },
    );
  }
  return losing;
}

async function claimedRun(s: DynamoDBRunStore): Promise<RunRecord> {
  const result = await s.claim({
    runId: randomBytes(16).toString('hex'),
    jobId: `job-${randomUUID()}`,
    jobSeq: 0,
    owner: `owner-${randomUUID()}`,
    leaseUntil: NOW + 60_000,
    now: NOW,
    create: {
      jobName: 'answer-lost',
      firstStep: 'poll',
      nonce: 'N'.repeat(22),
      deadlineAt: NOW + 3_600_000,
      expiresAt: Math.floor(NOW / 1000) + 86_400,
    },
  });
  if (!result.claimed) throw new Error('claim refused');
  return result.run;
}

function commitOf(run: RunRecord): CommitRequest {
  const jobId = run.nextJobId as string;
  return {
    runId: run.runId,
    owner: run.leaseOwner as string,
    jobSeq: 0,
    status: 'running',
    step: 'poll',
    stateJson: '{"polls":1}',
    nextJobSeq: 1,
    attempt: 1,
    visit: 1,
    outcome: {
      kind: 'continue',
      jobId,
      jobSeq: 0,
      continuationToken: `bt1.${run.runId}.1.${run.nonce}`,
    },
    recentJobIds: [jobId],
    now: NOW + 10,
    expiresAt: Math.floor(NOW / 1000) + 86_400,
    history: {
      runId: run.runId,
      jobSeq: 0,
      jobId,
      startedAt: NOW,
      committedAt: NOW + 10,
      entries: [{ at: NOW + 5, step: 'poll', attempt: 1, outcome: 'wait' }],
    },
    commitToken: run.leaseOwner as string,
  };
}

describe('a commit whose answer was lost after it was applied', () => {
  it('retried by the SDK: counts as committed, applied once', async () => {
    const losing = new DynamoDBRunStore({ tableName, client: losingClient('deserialize') });
    const run = await claimedRun(losing);
    expect(await losing.commit(commitOf(run))).toBe(true);
    const found = await store.getRun(run.runId);
    expect(found?.run.nextJobSeq).toBe(1);
    expect(found?.run.leaseOwner).toBeUndefined();
    expect(found?.history.map((record) => record.jobSeq)).toEqual([0]);
    expect(found?.run.historyCount).toBe(1);
  });

  it('retried by the engine (commitWithRetries): counts as committed, applied once', async () => {
    const losing = new DynamoDBRunStore({ tableName, client: losingClient('initialize') });
    const run = await claimedRun(losing);
    const request = commitOf(run);
    await expect(losing.commit(request)).rejects.toThrow(/answer lost/);
    expect(
      await commitWithRetries(losing, request, {
        deadline: Date.now() + 10_000,
        clock: systemClock,
        log: quietLogger,
      }),
    ).toBe(true);
    const found = await store.getRun(run.runId);
    expect(found?.history.map((record) => record.jobSeq)).toEqual([0]);
    expect(found?.run.historyCount).toBe(1);
  });

  it('without a commit token, the retry is refused (nothing tells it from a lost lease)', async () => {
    const losing = new DynamoDBRunStore({ tableName, client: losingClient('deserialize') });
    const run = await claimedRun(losing);
    const { commitToken: _none, ...request } = commitOf(run);
    expect(await losing.commit(request)).toBe(false);
  });

  it('after a claim whose answer was lost: the commit keeps the records pending, in one request', async () => {
    const run = await claimedRun(store);
    expect(await store.commit(commitOf(run))).toBe(true);
    const client2 = losingClient('deserialize', 'claim');
    let updates = 0;
    client2.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UpdateItemCommand') updates += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countUpdates' },
    );
    const second = new DynamoDBRunStore({ tableName, client: client2 });
    const stored = (await store.getRun(run.runId))?.run as RunRecord;
    const owner = `owner-${randomUUID()}`;
    const claim = await second.claim({
      runId: run.runId,
      jobId: `job-${randomUUID()}`,
      jobSeq: 1,
      nonce: stored.nonce,
      owner,
      leaseUntil: NOW + 120_000,
      now: NOW + 100,
    });
    // The SDK's retry found this claim applied: the engine goes on with the lease it holds.
    expect(claim.claimed).toBe(false);
    if (claim.claimed) return;
    expect(claim.current?.leaseOwner).toBe(owner);
    const next = {
      ...commitOf(claim.current as RunRecord),
      jobSeq: 1,
      nextJobSeq: 2,
      now: NOW + 200,
    };
    updates = 0;
    expect(await second.commit({ ...next, history: { ...next.history, jobSeq: 1 } })).toBe(true);
    expect(updates).toBe(1);
    expect((await store.getRun(run.runId))?.history.map((record) => record.jobSeq)).toEqual([0, 1]);
  });
});
