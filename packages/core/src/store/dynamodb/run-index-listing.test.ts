import { randomBytes, randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ClaimRequest } from '../../engine/ports/run-store.js';
import { createTable, RUN_LIST_INDEX, tableDefinition } from '../table-definition.js';
import { DynamoDBRunStore } from './dynamodb-run-store.js';
import { RunListIndexMissingError } from './run-index-listing.js';

const T0 = 1_800_000_000_000;
const client = new DynamoDBClient({
  region: 'us-east-1',
  endpoint: inject('dynamodbEndpoint'),
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
afterAll(() => client.destroy());

/** Starts a run created at `T0 + minute` minutes; ends it when `end` is given. */
async function seedRun(
  store: DynamoDBRunStore,
  minute: number,
  jobName: string,
  end?: 'succeeded' | 'failed',
): Promise<string> {
  const runId = randomBytes(16).toString('hex');
  const now = T0 + minute * 60_000;
  const claim: ClaimRequest = {
    runId,
    jobId: `job-${randomUUID()}`,
    jobSeq: 0,
    owner: 'owner-1',
    leaseUntil: now + 60_000,
    now,
    create: {
      jobName,
      firstStep: 'start',
      nonce: 'N'.repeat(22),
      deadlineAt: now + 3_600_000,
      expiresAt: Math.floor(now / 1000) + 86_400,
    },
  };
  const claimed = await store.claim(claim);
  expect(claimed.claimed).toBe(true);
  const committed = await store.commit({
    runId,
    owner: 'owner-1',
    jobSeq: 0,
    status: end ?? 'running',
    step: end ? 'poll' : 'start',
    stateJson: '{"big":"state that the listing must not read"}',
    nextJobSeq: end ? 0 : 1,
    attempt: 1,
    visit: 1,
    progress: { percentComplete: end ? 100 : 10, summary: 'a summary' },
    outcome: end
      ? { kind: 'succeed', jobId: claim.jobId, jobSeq: 0, outputVariables: { secretish: 'x' } }
      : {
          kind: 'continue',
          jobId: claim.jobId,
          jobSeq: 0,
          continuationToken: `bt1.${runId}.1.${'N'.repeat(22)}`,
        },
    recentJobIds: [claim.jobId],
    now: now + 1000,
    expiresAt: Math.floor(now / 1000) + 86_400,
    history: {
      runId,
      jobSeq: 0,
      jobId: claim.jobId,
      startedAt: now,
      committedAt: now + 1000,
      entries: [],
    },
  });
  expect(committed).toBe(true);
  return runId;
}

async function collect<T>(items: AsyncIterable<T>, max = Number.POSITIVE_INFINITY): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
    if (out.length >= max) break;
  }
  return out;
}

describe('DynamoDBRunStore.listRunsNewestFirst on the runs-by-status index', () => {
  const store = new DynamoDBRunStore({ tableName: `listing-${randomUUID()}`, client });
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await createTable(client, store.tableName);
    // Created out of order, across statuses and two jobs.
    ids.m3 = await seedRun(store, 3, 'deploy', 'succeeded');
    ids.m1 = await seedRun(store, 1, 'deploy');
    ids.m5 = await seedRun(store, 5, 'check', 'failed');
    ids.m2 = await seedRun(store, 2, 'check');
    ids.m4 = await seedRun(store, 4, 'deploy');
  });

  it('yields runs newest first across statuses, reading only the fields asked for', async () => {
    const runs = await collect(
      store.listRunsNewestFirst({ fields: ['status', 'createdAt', 'outcome.kind'], pageSize: 2 }),
    );
    expect(runs.map((run) => run.runId)).toEqual([ids.m5, ids.m4, ids.m3, ids.m2, ids.m1]);
    expect(runs[0]).toEqual({
      runId: ids.m5,
      status: 'failed',
      createdAt: T0 + 5 * 60_000,
      outcome: { kind: 'succeed' },
    });
    for (const run of runs)
      expect(Object.keys(run).sort()).toEqual(['createdAt', 'outcome', 'runId', 'status']);
  });

  it('filters by status, job and creation time in the query', async () => {
    const running = await collect(store.listRunsNewestFirst({ fields: [], statuses: ['running'] }));
    expect(running.map((run) => run.runId)).toEqual([ids.m4, ids.m2, ids.m1]);
    const deploy = await collect(
      store.listRunsNewestFirst({ fields: ['jobName'], jobName: 'deploy', pageSize: 1 }),
    );
    expect(deploy.map((run) => run.runId)).toEqual([ids.m4, ids.m3, ids.m1]);
    const recent = await collect(
      store.listRunsNewestFirst({ fields: [], createdSince: T0 + 3 * 60_000 }),
    );
    expect(recent.map((run) => run.runId)).toEqual([ids.m5, ids.m4, ids.m3]);
    const byPrefix = await collect(
      store.listRunsNewestFirst({ fields: [], runIdPrefix: ids.m2?.slice(0, 10) }),
    );
    expect(byPrefix.map((run) => run.runId)).toEqual([ids.m2]);
  });

  it('stops when the caller stops', async () => {
    const two = await collect(store.listRunsNewestFirst({ fields: ['step'], pageSize: 1 }), 2);
    expect(two.map((run) => run.runId)).toEqual([ids.m5, ids.m4]);
  });

  it('scanRuns reads at most maxRuns run items, with the projection', async () => {
    const scanned = await collect(store.scanRuns({ fields: ['jobName'], maxRuns: 3 }));
    expect(scanned).toHaveLength(3);
    for (const run of scanned) expect(Object.keys(run).sort()).toEqual(['jobName', 'runId']);
  });
});

describe('a table without the index', () => {
  const store = new DynamoDBRunStore({ tableName: `no-index-${randomUUID()}`, client });

  beforeAll(async () => {
    const { GlobalSecondaryIndexes: _index, ...plain } = tableDefinition(store.tableName);
    plain.AttributeDefinitions = plain.AttributeDefinitions?.filter(
      (definition) => definition.AttributeName === 'pk' || definition.AttributeName === 'sk',
    );
    await client.send(new CreateTableCommand(plain));
    await seedRun(store, 1, 'deploy');
  });

  it('listing throws RunListIndexMissingError naming the table and the index', async () => {
    const listing = collect(store.listRunsNewestFirst({ fields: [] }));
    await expect(listing).rejects.toThrow(RunListIndexMissingError);
    await expect(listing).rejects.toThrow(
      `table '${store.tableName}' has no index 'runs-by-status'`,
    );
  });

  it('createTable on it adds the index (DynamoDB fills it in the background)', async () => {
    // Filling takes its time on a busy DynamoDB Local, so only a short wait here;
    // `baton runs list` on the filled index is in the cli suite (cli-listing).
    expect(await createTable(client, store.tableName, { waitSeconds: 2 })).toBe(false);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: store.tableName }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([
      RUN_LIST_INDEX.name,
    ]);
  });
});
