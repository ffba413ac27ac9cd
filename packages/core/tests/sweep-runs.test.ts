/**
 * `sweepRuns` against DynamoDB Local: it reads the running runs from the
 * `runs-by-status` index (Query, then BatchGetItem), marks the untouched one
 * abandoned with one UpdateItem, leaves the live one, and never scans a table
 * that has the index.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type ClaimRequest,
  createTable,
  DynamoDBRunStore,
  type RunRecord,
  sweepRuns,
  tableDefinition,
} from '../src/index.js';
import { RequestCounter } from './harness.js';

const T0 = Date.now();
const MINUTE = 60_000;
const client = new DynamoDBClient({
  region: 'us-east-1',
  endpoint: inject('dynamodbEndpoint'),
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const requests = new RequestCounter();
requests.attach(client);
afterAll(() => client.destroy());

/** A run whose first job committed at `T0` and that waits for its next job. */
async function waitingRun(store: DynamoDBRunStore, jobName: string): Promise<RunRecord> {
  const runId = randomBytes(16).toString('hex');
  const jobId = `job-${randomUUID()}`;
  const claim: ClaimRequest = {
    runId,
    jobId,
    jobSeq: 0,
    owner: 'first',
    leaseUntil: T0 + 5 * MINUTE,
    now: T0,
    create: {
      jobName,
      firstStep: 'start',
      nonce: 'N'.repeat(22),
      deadlineAt: T0 + 6 * 60 * MINUTE,
      expiresAt: Math.floor(T0 / 1000) + 86_400,
    },
  };
  expect((await store.claim(claim)).claimed).toBe(true);
  const committed = await store.commit({
    runId,
    owner: 'first',
    jobSeq: 0,
    status: 'running',
    step: 'poll',
    nextJobSeq: 1,
    attempt: 1,
    visit: 1,
    outcome: {
      kind: 'continue',
      jobId,
      jobSeq: 0,
      continuationToken: `bt1.${runId}.1.${'N'.repeat(22)}`,
    },
    recentJobIds: [jobId],
    now: T0 + 1000,
    expiresAt: Math.floor(T0 / 1000) + 86_400,
    history: { runId, jobSeq: 0, jobId, startedAt: T0, committedAt: T0 + 1000, entries: [] },
  });
  expect(committed).toBe(true);
  const found = await store.getRun(runId);
  if (!found) throw new Error(`run ${runId} not found after its commit`);
  return found.run;
}

describe('sweepRuns on a table with the runs-by-status index', () => {
  const store = new DynamoDBRunStore({ tableName: `sweep-${randomUUID()}`, client });
  let untouched: RunRecord;
  let live: RunRecord;

  beforeAll(async () => {
    await createTable(client, store.tableName);
    untouched = await waitingRun(store, 'deploy');
    const continued = await waitingRun(store, 'check');
    // Its next job was claimed 30 minutes later, and that invocation still holds the lease.
    const next = await store.claim({
      runId: continued.runId,
      jobId: `job-${randomUUID()}`,
      jobSeq: 1,
      nonce: continued.nonce,
      owner: 'second',
      leaseUntil: T0 + 40 * MINUTE,
      now: T0 + 30 * MINUTE,
    });
    if (!next.claimed) throw new Error('the live run could not be claimed');
    live = next.run;
  });

  it('marks the untouched run abandoned (no-reply) and leaves the live one, with Query, BatchGetItem and UpdateItem only', async () => {
    const now = T0 + 35 * MINUTE;
    requests.reset();
    const result = await sweepRuns(store, { now });
    expect(result.abandoned).toEqual([
      expect.objectContaining({
        runId: untouched.runId,
        jobName: 'deploy',
        reason: 'no-reply',
        marked: true,
      }),
    ]);
    expect(result.scanned).toBe(2);
    expect(result.scanReason).toBeUndefined();
    expect(Object.keys(requests.counts).sort()).toEqual([
      'BatchGetItemCommand',
      'QueryCommand',
      'UpdateItemCommand',
    ]);
    expect(requests.counts.UpdateItemCommand).toBe(1);

    expect((await store.getRun(untouched.runId))?.run).toMatchObject({
      status: 'abandoned',
      abandonReason: 'no-reply',
      abandonedAt: now,
    });
    expect((await store.getRun(live.runId))?.run).toMatchObject({
      status: 'running',
      leaseOwner: 'second',
      updatedAt: live.updatedAt,
    });
    // The abandoned run left the index's running partition: the next sweep reads one run.
    const again = await sweepRuns(store, { now: now + 1 });
    expect(again).toEqual({ scanned: 1, abandoned: [] });
  });
});

describe('sweepRuns on a table without the index', () => {
  const store = new DynamoDBRunStore({ tableName: `sweep-no-index-${randomUUID()}`, client });

  beforeAll(async () => {
    const { GlobalSecondaryIndexes: _index, ...plain } = tableDefinition(store.tableName);
    plain.AttributeDefinitions = plain.AttributeDefinitions?.filter(
      (definition) => definition.AttributeName === 'pk' || definition.AttributeName === 'sk',
    );
    await client.send(new CreateTableCommand(plain));
  });

  it('scans the table instead, says why, and marks the same run', async () => {
    const untouched = await waitingRun(store, 'deploy');
    requests.reset();
    const result = await sweepRuns(store, { now: T0 + 31 * MINUTE });
    expect(result.scanReason).toContain(`table '${store.tableName}' has no index 'runs-by-status'`);
    expect(result.abandoned).toEqual([
      expect.objectContaining({ runId: untouched.runId, reason: 'no-reply', marked: true }),
    ]);
    expect(requests.counts.ScanCommand).toBeGreaterThanOrEqual(1);
  });
});
