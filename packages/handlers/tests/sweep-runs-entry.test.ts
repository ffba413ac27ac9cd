/**
 * The scheduled sweep's bundle (`sweep-runs`, what `BatonSweep` deploys),
 * built by the bundle script and run on its own against DynamoDB Local, with
 * only what a Lambda function has: `BATON_TABLE_NAME` and the standard AWS
 * variables.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable, DynamoDBRunStore, type SweepResult } from '@baton/core';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';

const MINUTE = 60_000;
const saved = { ...process.env };
let outDir: string;
let sweep: { handler: () => Promise<SweepResult> };

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'baton-sweep-bundle-'));
  const script = new URL('../scripts/bundle.mjs', import.meta.url).pathname;
  await promisify(execFile)(process.execPath, [script, '--out-dir', outDir, 'sweep-runs']);
  sweep = await import(pathToFileURL(join(outDir, 'sweep-runs', 'index.mjs')).href);
  process.env.AWS_ENDPOINT_URL_DYNAMODB = inject('dynamodbEndpoint');
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  process.env.AWS_LAMBDA_FUNCTION_NAME = 'baton-sweep-test';
}, 120_000);

afterAll(async () => {
  process.env = saved;
  await rm(outDir, { recursive: true, force: true });
});

/** A run that started `startedMinutesAgo` and waits for its next job; `leased` if an invocation holds it now. */
async function seedRun(store: DynamoDBRunStore, startedMinutesAgo: number, leased: boolean) {
  const at = Date.now() - startedMinutesAgo * MINUTE;
  const runId = randomBytes(16).toString('hex');
  const jobId = `job-${randomUUID()}`;
  const claim = await store.claim({
    runId,
    jobId,
    jobSeq: 0,
    owner: 'first',
    leaseUntil: leased ? Date.now() + 5 * MINUTE : at + MINUTE,
    now: at,
    create: {
      jobName: 'deploy',
      firstStep: 'start',
      nonce: 'N'.repeat(22),
      deadlineAt: at + 6 * 60 * MINUTE,
      expiresAt: Math.floor(at / 1000) + 86_400,
    },
  });
  expect(claim.claimed).toBe(true);
  return runId;
}

describe('the sweep-runs bundle', () => {
  it('exports the handler only, and names BATON_TABLE_NAME when it is missing', async () => {
    expect(Object.keys(sweep)).toEqual(['handler']);
    delete process.env.BATON_TABLE_NAME;
    await expect(sweep.handler()).rejects.toThrow('BATON_TABLE_NAME is not set');
  });

  it('marks the untouched run abandoned (no-reply), leaves the live one, and writes its log and metrics lines', async () => {
    const client = new DynamoDBClient({});
    const store = new DynamoDBRunStore({ tableName: `sweep-entry-${randomUUID()}`, client });
    await createTable(client, store.tableName);
    // Claimed 40 minutes ago by an invocation that died: no commit, lease long expired.
    const untouched = await seedRun(store, 40, false);
    const live = await seedRun(store, 40, true);
    process.env.BATON_TABLE_NAME = store.tableName;

    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    let result: SweepResult;
    try {
      result = await sweep.handler();
    } finally {
      spy.mockRestore();
    }
    expect(result.abandoned).toEqual([
      expect.objectContaining({ runId: untouched, reason: 'no-reply', marked: true }),
    ]);
    expect((await store.getRun(untouched))?.run.status).toBe('abandoned');
    expect((await store.getRun(live))?.run.status).toBe('running');

    const lines = written
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 'INFO',
      read: 2,
      marked: 1,
      abandoned: [{ runId: untouched, jobName: 'deploy', reason: 'no-reply', marked: true }],
    });
    expect(lines[1]).toMatchObject({
      ServiceName: 'baton-sweep-test',
      SweepRunsRead: 2,
      RunsAbandoned: 1,
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Baton',
            Dimensions: [['ServiceName']],
            Metrics: expect.arrayContaining([
              { Name: 'SweepRunsRead', Unit: 'Count' },
              { Name: 'RunsAbandoned', Unit: 'Count' },
            ]),
          },
        ],
      },
    });
    client.destroy();
  });
});
