import { randomBytes, randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type ClaimRequest, DynamoDBRunStore, tableDefinition } from '@baton/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { baton, uniqueTableName, useLocalDynamoDB } from './cli-harness.js';

// `runs list` on the runs-by-status index and without it, short run ids,
// and the hints for an endpoint that cannot be reached.

const MINUTE = 60_000;
let client: DynamoDBClient;

beforeAll(() => {
  useLocalDynamoDB();
  client = new DynamoDBClient({});
});

afterAll(() => {
  client?.destroy();
  vi.unstubAllEnvs();
});

/** Waits until every index of `table` is active (DynamoDB fills a new one first). */
async function indexActive(dynamodb: DynamoDBClient, table: string): Promise<void> {
  for (;;) {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.GlobalSecondaryIndexes?.every((index) => index.IndexStatus === 'ACTIVE')) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Starts a run with this id at `now` (claimed, nothing committed). */
async function startRun(store: DynamoDBRunStore, runId: string, now: number): Promise<void> {
  const request: ClaimRequest = {
    runId,
    jobId: `job-${randomUUID()}`,
    jobSeq: 0,
    owner: `owner-${randomUUID()}`,
    leaseUntil: now + 10 * MINUTE,
    now,
    create: {
      jobName: 'check',
      firstStep: 'work',
      nonce: 'N'.repeat(22),
      deadlineAt: now + 60 * MINUTE,
      expiresAt: Math.floor(now / 1000) + 86_400,
    },
  };
  const result = await store.claim(request);
  if (!result.claimed) throw new Error('claim refused');
}

const hexId = (prefix = '') => prefix + randomBytes(16).toString('hex').slice(prefix.length);

describe('baton runs list without the runs-by-status index', () => {
  it('scans a bounded number of runs and says so; table create adds the index', async () => {
    const table = uniqueTableName('cli-no-index');
    const { GlobalSecondaryIndexes: _index, ...plain } = tableDefinition(table);
    plain.AttributeDefinitions = plain.AttributeDefinitions?.filter(
      (definition) => definition.AttributeName === 'pk' || definition.AttributeName === 'sk',
    );
    await client.send(new CreateTableCommand(plain));
    const store = new DynamoDBRunStore({ tableName: table, client });
    const now = Date.now();
    const older = hexId();
    const newer = hexId();
    await startRun(store, older, now - 5 * MINUTE);
    await startRun(store, newer, now - MINUTE);

    const scanned = await baton(['runs', 'list', '--table', table]);
    expect(scanned.code).toBe(0);
    expect(scanned.stdout).toContain(': 2 runs\n');
    expect(scanned.stdout).toContain(`note: table '${table}' has no index 'runs-by-status'`);
    expect(scanned.stdout).toContain(
      `scanned the whole table instead (2 runs). Add the index with: baton table create --table ${table}`,
    );
    // Newest first, as with the index.
    expect(scanned.stdout.indexOf(newer)).toBeLessThan(scanned.stdout.indexOf(older));

    const created = await baton(['table', 'create', '--table', table]);
    // A busy DynamoDB fills a new index for a while: either answer is right.
    expect(created.stdout).toMatch(
      /exists already; TTL on expiresAt is enabled, index runs-by-status (active|creating \(DynamoDB is filling it; 'baton runs list' scans until it is active\))\n/,
    );
    await indexActive(client, table);
    const indexed = await baton(['runs', 'list', '--table', table, '--limit', '1']);
    expect(indexed.stdout).not.toContain('note:');
    expect(indexed.stdout).toContain(': 1 run (the 1 newest; --limit for more)');
    expect(indexed.stdout).toContain(newer);
    expect(indexed.stdout).not.toContain(older);
    // Adding an index to a table is slow on a busy DynamoDB Local.
  }, 120_000);
});

describe('baton runs show with a short run id', () => {
  it('finds the run from the short id the timeline prints, and says when it is ambiguous or unknown', async () => {
    const table = uniqueTableName('cli-short-id');
    await baton(['table', 'create', '--table', table]);
    const store = new DynamoDBRunStore({ tableName: table, client });
    const now = Date.now();
    const lone = hexId('0a1b2c3d');
    const twinA = hexId('9f9f9f9f');
    const twinB = hexId('9f9f9f9f');
    for (const runId of [lone, twinA, twinB]) await startRun(store, runId, now);

    for (const given of ['0a1b2c3d', '0a1b2c3d…', `bt1.0a1b2c3d…`, lone]) {
      const show = await baton(['runs', 'show', given, '--table', table], { now: () => now });
      expect(show.code, given).toBe(0);
      expect(show.stdout).toMatch(new RegExp(`^run ${lone}\n`));
    }
    const ambiguous = await baton(['runs', 'show', '9f9f9f9f', '--table', table]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('several runs start with 9f9f9f9f: ');
    expect(ambiguous.stderr).toContain(twinA);
    expect(ambiguous.stderr).toContain(twinB);
    expect(ambiguous.stderr).toContain('give more characters');
    const unknown = await baton(['runs', 'show', 'eeeeeeee', '--table', table]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      `baton runs show: no run id starts with eeeeeeee in table ${table}\n`,
    );
    const tooShort = await baton(['runs', 'show', '0a1b', '--table', table]);
    expect(tooShort.code).toBe(2);
  });
});

describe('an endpoint that cannot be reached', () => {
  it('ECONNREFUSED names the endpoint and suggests baton local --keep or AWS_ENDPOINT_URL_DYNAMODB', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', 'http://127.0.0.1:1');
    try {
      const run = await baton(['runs', 'list']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('could not reach DynamoDB at http://127.0.0.1:1');
      expect(run.stderr).toContain("'baton local --keep'");
      expect(run.stderr).toContain('AWS_ENDPOINT_URL_DYNAMODB');
    } finally {
      useLocalDynamoDB();
    }
  });

  it('an unknown host without an endpoint suggests AWS_ENDPOINT_URL_DYNAMODB for DynamoDB Local', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', undefined);
    // A region no DNS knows: the SDK's host for it never resolves.
    vi.stubEnv('AWS_REGION', 'baton-nowhere-1');
    try {
      const run = await baton(['runs', 'list']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("could not resolve DynamoDB's host");
      expect(run.stderr).toContain('set AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:<port>');
    } finally {
      useLocalDynamoDB();
    }
  });

  it('an unknown host in the endpoint says to check AWS_ENDPOINT_URL_DYNAMODB', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', 'http://no-such-host.invalid:8000');
    try {
      const run = await baton(['runs', 'show', 'a'.repeat(32)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('unknown host in http://no-such-host.invalid:8000');
      expect(run.stderr).toContain('check AWS_ENDPOINT_URL_DYNAMODB');
    } finally {
      useLocalDynamoDB();
    }
  });
});
