import { randomBytes, randomUUID } from 'node:crypto';
import {
  DynamoDBClient,
  type DynamoDBClientConfig,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ClaimRequest, CommitRequest } from '../../engine/ports/run-store.js';
import type { RunRecord } from '../run-record.js';
import { createTable } from '../table-definition.js';
import { DynamoDBRunStore } from './dynamodb-run-store.js';
import { FLUSH_AT_RECORDS, MAX_RECORD_BYTES } from './pending-history.js';

// DynamoDBRunStore keeps each committed history record in the run item until
// a claim moves a group of them to a history item; these cases crash and fail
// around that move and check that getRun still returns every record, once.

const settings: DynamoDBClientConfig = {
  region: 'us-east-1',
  endpoint: inject('dynamodbEndpoint'),
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};
const client = new DynamoDBClient(settings);
const tableName = `flush-${randomUUID()}`;
const store = new DynamoDBRunStore({ tableName, client });
beforeAll(() => createTable(client, tableName));
afterAll(() => client.destroy());

const NOW = Date.now();

function claimOf(runId: string, run: RunRecord | undefined, at: number): ClaimRequest {
  const base = {
    runId,
    jobId: `job-${randomUUID()}`,
    owner: `owner-${randomUUID()}`,
    leaseUntil: at + 60_000,
    now: at,
  };
  if (!run) {
    return {
      ...base,
      jobSeq: 0,
      create: {
        jobName: 'flush',
        firstStep: 'poll',
        nonce: 'N'.repeat(22),
        deadlineAt: at + 3_600_000,
        expiresAt: Math.floor(at / 1000) + 86_400,
      },
    };
  }
  return { ...base, jobSeq: run.nextJobSeq, nonce: run.nonce };
}

function commitOf(run: RunRecord, at: number, detail = 'poll'): CommitRequest {
  const jobId = run.nextJobId as string;
  return {
    runId: run.runId,
    owner: run.leaseOwner as string,
    jobSeq: run.nextJobSeq,
    status: 'running',
    step: 'poll',
    stateJson: `{"polls":${run.nextJobSeq + 1}}`,
    nextJobSeq: run.nextJobSeq + 1,
    attempt: 1,
    visit: 1,
    outcome: {
      kind: 'continue',
      jobId,
      jobSeq: run.nextJobSeq,
      continuationToken: `bt1.${run.runId}.${run.nextJobSeq + 1}.${run.nonce}`,
    },
    recentJobIds: [...(run.recentJobIds ?? []), jobId],
    now: at + 10,
    expiresAt: Math.floor(at / 1000) + 86_400,
    history: {
      runId: run.runId,
      jobSeq: run.nextJobSeq,
      jobId,
      startedAt: at,
      committedAt: at + 10,
      entries: [{ at: at + 5, step: 'poll', attempt: 1, outcome: 'wait', detail }],
    },
  };
}

async function claim(s: DynamoDBRunStore, request: ClaimRequest): Promise<RunRecord> {
  const result = await s.claim(request);
  if (!result.claimed) throw new Error(`claim of ${request.jobId} refused`);
  return result.run;
}

/** Runs `jobs` invocations (claim and commit) on a new run; returns its id and the last run. */
async function runJobs(jobs: number): Promise<{ runId: string; run: RunRecord }> {
  const runId = randomBytes(16).toString('hex');
  let run: RunRecord | undefined;
  for (let job = 0; job < jobs; job++) {
    const at = NOW + job * 1000;
    const claimed = await claim(store, claimOf(runId, run, at));
    expect(await store.commit(commitOf(claimed, at))).toBe(true);
    run = (await store.getRun(runId))?.run;
  }
  return { runId, run: run as RunRecord };
}

/** The run's items as stored: the run item and its history items. */
async function items(runId: string): Promise<Record<string, unknown>[]> {
  const out = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `run#${runId}` } },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((item) => unmarshall(item));
}

const jobSeqs = async (runId: string) =>
  (await store.getRun(runId))?.history.map((record) => record.jobSeq);

/** Resolves once `condition` holds (the flush a claim started runs in the background). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition never held');
}

/** A store whose every history item write fails, as a DynamoDB outage would. */
function storeWithFailingFlush(): DynamoDBRunStore {
  const failing = new DynamoDBClient({ ...settings, maxAttempts: 1 });
  failing.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === PutItemCommand.name) throw new Error('flush refused');
      return next(args);
    },
    { step: 'initialize', name: 'failFlush' },
  );
  return new DynamoDBRunStore({ tableName, client: failing });
}

describe('history records between the run item and history items', () => {
  it('keeps every record, in order, while groups move to history items', async () => {
    const { runId, run } = await runJobs(2 * FLUSH_AT_RECORDS + 1);
    expect(await jobSeqs(runId)).toEqual([...Array(2 * FLUSH_AT_RECORDS + 1).keys()]);
    expect(run.historyCount).toBe(2 * FLUSH_AT_RECORDS + 1);
    const stored = await items(runId);
    const flushed = stored.filter((item) => String(item.sk).startsWith('hist#'));
    expect(flushed.map((item) => item.sk)).toEqual(['hist#0000000000', 'hist#0000000004']);
    const runItem = stored.find((item) => item.sk === 'run');
    expect(
      JSON.parse(String(runItem?.pendingHistory)).map((r: { jobSeq: number }) => r.jobSeq),
    ).toEqual([8]);
  });

  it('a flush that fails stops the commit, which loses nothing; the retry moves them', async () => {
    const { runId, run } = await runJobs(FLUSH_AT_RECORDS);
    const failing = storeWithFailingFlush();
    const at = NOW + 10_000;
    const claimed = await claim(failing, claimOf(runId, run, at));
    await expect(failing.commit(commitOf(claimed, at))).rejects.toThrow(/flush refused/);
    expect(await jobSeqs(runId)).toEqual([0, 1, 2, 3]);
    // The engine gives the lease up after the error; Lambda's retry claims again.
    await failing.releaseLease(runId, claimed.leaseOwner as string);
    const retried = await claim(store, {
      ...claimOf(runId, run, at + 1000),
      jobId: claimed.nextJobId as string,
    });
    expect(await store.commit(commitOf(retried, at + 1000))).toBe(true);
    expect(await jobSeqs(runId)).toEqual([0, 1, 2, 3, 4]);
  });

  it('a flush whose commit never comes (a crash) is done again, once, by the next claim', async () => {
    const { runId, run } = await runJobs(FLUSH_AT_RECORDS);
    const at = NOW + 20_000;
    const crashed = await claim(store, claimOf(runId, run, at));
    // The crashed invocation's flush lands; its commit never happens. Its lease expires.
    await until(async () => (await items(runId)).some((item) => item.sk === 'hist#0000000000'));
    const later = at + 120_000;
    const next = await claim(store, {
      ...claimOf(runId, run, later),
      jobId: crashed.nextJobId as string,
    });
    expect(await store.commit(commitOf(next, later))).toBe(true);
    expect(await jobSeqs(runId)).toEqual([0, 1, 2, 3, 4]);
    const flushed = (await items(runId)).filter((item) => String(item.sk).startsWith('hist#'));
    expect(flushed).toHaveLength(1);
  });

  it('a commit whose claim another store instance saw keeps the pending records', async () => {
    const { runId, run } = await runJobs(2);
    const other = new DynamoDBRunStore({ tableName, client });
    const at = NOW + 30_000;
    const claimed = await claim(other, claimOf(runId, run, at));
    expect(await store.commit(commitOf(claimed, at))).toBe(true);
    expect(await jobSeqs(runId)).toEqual([0, 1, 2]);
  });

  it(`a record over ${MAX_RECORD_BYTES} bytes keeps its first and last entries and counts the rest`, async () => {
    const { runId, run } = await runJobs(1);
    const at = NOW + 40_000;
    const claimed = await claim(store, claimOf(runId, run, at));
    const request = commitOf(claimed, at);
    const entries = Array.from({ length: 60 }, (_, i) => ({
      at: at + i,
      step: 'poll',
      attempt: i + 1,
      outcome: 'error',
      detail: `#${i} ${'x'.repeat(990)}`,
    }));
    expect(await store.commit({ ...request, history: { ...request.history, entries } })).toBe(true);
    const record = (await store.getRun(runId))?.history[1];
    expect(Buffer.byteLength(JSON.stringify(record))).toBeLessThanOrEqual(MAX_RECORD_BYTES + 100);
    expect(record?.entries[0]?.detail?.startsWith('#0 ')).toBe(true);
    expect(record?.entries.at(-1)?.detail?.startsWith('#59 ')).toBe(true);
    expect((record?.entries.length ?? 0) + (record?.droppedEntries ?? 0)).toBe(60);
  });

  it('reads history items written one record each (before records moved in groups)', async () => {
    const runId = randomBytes(16).toString('hex');
    const pk = { S: `run#${runId}` };
    const outcome = {
      kind: { S: 'continue' },
      jobId: { S: 'j0' },
      jobSeq: { N: '0' },
      continuationToken: { S: 't' },
    };
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk,
          sk: { S: 'run' },
          runId: { S: runId },
          status: { S: 'running' },
          nextJobSeq: { N: '1' },
          historyCount: { N: '1' },
          outcome: { M: outcome },
          recentJobIds: { L: [{ S: 'j0' }] },
        },
      }),
    );
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk,
          sk: { S: 'hist#0000000000' },
          runId: { S: runId },
          jobSeq: { N: '0' },
          jobId: { S: 'j0' },
          startedAt: { N: '1' },
          committedAt: { N: '2' },
          entries: { L: [] },
          expiresAt: { N: '9' },
        },
      }),
    );
    const found = await store.getRun(runId);
    expect(found?.run.outcome).toEqual({
      kind: 'continue',
      jobId: 'j0',
      jobSeq: 0,
      continuationToken: 't',
    });
    expect(found?.run.recentJobIds).toEqual(['j0']);
    expect(found?.history).toEqual([
      { runId, jobSeq: 0, jobId: 'j0', startedAt: 1, committedAt: 2, entries: [] },
    ]);
  });
});
