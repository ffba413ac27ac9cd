import { randomBytes, randomUUID } from 'node:crypto';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type ClaimRequest,
  createLambdaHandler,
  createTable,
  DynamoDBRunStore,
  defineJob,
  type RunRecord,
  succeed,
} from '@baton/core';
import { startCodePipelineEmulator } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { baton, uniqueTableName, useLocalDynamoDB } from './cli-harness.js';

// `baton runs list` filters, `runs sweep` and `runs watch`, and a run
// CodePipeline gave up on shown as abandoned.

/** A job whose only step takes 5 s: longer than the short no-reply window below. */
const slowJob = defineJob({
  name: 'slow',
  initialState: {},
  firstStep: 'work',
  steps: {
    work: async () => {
      await new Promise((resolve) => setTimeout(resolve, 5000));
      return succeed({ summary: 'done' });
    },
  },
});
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

async function freshTable(prefix: string) {
  const table = uniqueTableName(prefix);
  await createTable(client, table);
  return { table, store: new DynamoDBRunStore({ tableName: table, client }) };
}

/** Claims a new run of `jobName` at `now` whose lease ends at `leaseUntil`; commits nothing. */
async function claimedRun(
  store: DynamoDBRunStore,
  jobName: string,
  now: number,
  leaseUntil = now + MINUTE,
): Promise<RunRecord> {
  const request: ClaimRequest = {
    runId: randomBytes(16).toString('hex'),
    jobId: `job-${randomUUID()}`,
    jobSeq: 0,
    owner: `owner-${randomUUID()}`,
    leaseUntil,
    now,
    create: {
      jobName,
      firstStep: 'work',
      nonce: 'N'.repeat(22),
      deadlineAt: now + 60 * MINUTE,
      expiresAt: Math.floor(now / 1000) + 86_400,
    },
  };
  const result = await store.claim(request);
  if (!result.claimed) throw new Error('claim refused');
  return result.run;
}

describe('a run CodePipeline gave up on', () => {
  it('ends abandoned, and `baton runs list --status abandoned` shows it with the reason', async () => {
    const { table, store } = await freshTable('cli-abandoned');
    const emulator = await startCodePipelineEmulator({ timeScale: 1 });
    try {
      // The step outlasts the 3-second no-reply window: CodePipeline fails
      // the action, and refuses the result Baton reports after.
      // In this process (no worker to load): it reports to the emulator itself.
      const codePipelineClient = new CodePipelineClient({
        endpoint: emulator.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      });
      const handler = createLambdaHandler(slowJob, {
        tableName: table,
        dynamoDBClient: client,
        codePipelineClient,
        metrics: false,
        logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      });
      const result = await emulator.runLambdaAction({
        handler,
        deliveryDelayMs: 10,
        noReplyTimeoutMs: 3000,
        functionTimeoutMs: 30_000,
      });
      codePipelineClient.destroy();
      expect(result).toMatchObject({ status: 'Failed', reason: 'no-reply-timeout' });
    } finally {
      await emulator.stop();
    }
    const runs: RunRecord[] = [];
    for await (const run of store.listRuns()) runs.push(run);
    expect(runs.map((r) => [r.status, r.abandonReason])).toEqual([['abandoned', 'job-refused']]);
    const runId = runs[0]?.runId ?? '?';

    const list = await baton(['runs', 'list', '--status', 'abandoned', '--table', table]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(': 1 abandoned run');
    expect(list.stdout).toMatch(
      new RegExp(`${runId} +slow +abandoned .*abandoned \\(job-refused\\)`),
    );
    const running = await baton(['runs', 'list', '--status', 'running', '--table', table]);
    expect(running.stdout).toContain(': 0 running runs');
    const json = await baton(['runs', 'list', '--status', 'abandoned', '--json', '--table', table]);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({
        runId,
        status: 'abandoned',
        abandoned: expect.objectContaining({
          reason: 'job-refused',
          detail: expect.stringContaining('InvalidJobStateException'),
        }),
      }),
    ]);
    const show = await baton(['runs', 'show', runId, '--table', table]);
    expect(show.stdout).toMatch(/ABANDONED +job-refused at /);
  }, 120_000);
});

describe('baton runs sweep', () => {
  it('marks abandoned the runs no invocation will touch again; a dry run only lists them', async () => {
    const { table, store } = await freshTable('cli-sweep');
    const now = Date.now();
    // Died 40 minutes ago (lease long expired); and one claimed just now (live).
    const dead = await claimedRun(store, 'slow', now - 40 * MINUTE, now - 39 * MINUTE);
    const live = await claimedRun(store, 'slow', now);
    const stuck = await baton(['runs', 'list', '--stuck', '--table', table]);
    expect(stuck.stdout).toContain(': 1 stuck run');
    expect(stuck.stdout).toContain(dead.runId);

    const dry = await baton(['runs', 'sweep', '--dry-run', '--table', table]);
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    expect(dry.stdout).toContain('2 runs read, would mark 1 abandoned');
    expect(dry.stdout).toContain(`${dead.runId} slow no-reply`);
    expect((await store.getRun(dead.runId))?.run.status).toBe('running');

    const swept = await baton(['runs', 'sweep', '--table', table]);
    expect(swept.stdout).toContain('2 runs read, marked 1 abandoned');
    const after = (await store.getRun(dead.runId))?.run;
    expect(after).toMatchObject({ status: 'abandoned', abandonReason: 'no-reply' });
    expect((await store.getRun(live.runId))?.run.status).toBe('running');
    const abandoned = await baton(['runs', 'list', '--status', 'abandoned', '--table', table]);
    expect(abandoned.stdout).toContain(dead.runId);
    expect(abandoned.stdout).not.toContain(live.runId);
    // Nothing more to do.
    expect((await baton(['runs', 'sweep', '--table', table])).stdout).toContain(
      'marked 0 abandoned',
    );
  });
});

describe('baton runs list filters', () => {
  it('--job and --since narrow the list; bad values are usage errors', async () => {
    const { table, store } = await freshTable('cli-filters');
    const now = Date.now();
    const oldDeploy = await claimedRun(store, 'deploy', now - 3 * 60 * MINUTE);
    const newDeploy = await claimedRun(store, 'deploy', now - 5 * MINUTE);
    const newCheck = await claimedRun(store, 'check', now - 5 * MINUTE);
    const ids = (stdout: string) =>
      [oldDeploy, newDeploy, newCheck].filter((r) => stdout.includes(r.runId)).map((r) => r.runId);

    const deploys = await baton(['runs', 'list', '--job', 'deploy', '--table', table]);
    expect(ids(deploys.stdout).sort()).toEqual([oldDeploy.runId, newDeploy.runId].sort());
    expect(deploys.stdout).toContain('of job deploy');
    const recent = await baton(['runs', 'list', '--since', '1h', '--table', table]);
    expect(ids(recent.stdout).sort()).toEqual([newDeploy.runId, newCheck.runId].sort());
    const both = await baton([
      'runs',
      'list',
      '--job',
      'deploy',
      '--since',
      '1h',
      '--json',
      '--table',
      table,
    ]);
    expect((JSON.parse(both.stdout) as { runId: string }[]).map((r) => r.runId)).toEqual([
      newDeploy.runId,
    ]);
    const iso = new Date(now - 2 * 60 * MINUTE).toISOString();
    const sinceIso = await baton(['runs', 'list', '--since', iso, '--table', table]);
    expect(ids(sinceIso.stdout).sort()).toEqual([newDeploy.runId, newCheck.runId].sort());

    const bad = await baton(['runs', 'list', '--since', 'yesterday', '--table', table]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since must be an age (e.g. 30m, 2h, 7d) or an ISO 8601 time');
    const clash = await baton(['runs', 'list', '--stuck', '--status', 'running', '--table', table]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('--stuck lists stuck runs; it cannot go with --status running');
  });
});

describe('baton runs watch', () => {
  it('follows a run as it is committed, line by line, and exits when it ends', async () => {
    const { table, store } = await freshTable('cli-watch');
    const now = Date.now();
    const run = await claimedRun(store, 'slow', now);
    const watching = baton(['runs', 'watch', run.runId, '--interval', '0.05', '--table', table]);
    const commit = (
      jobSeq: number,
      status: 'running' | 'succeeded',
      entries: RunRecord['step'][],
    ) => ({
      runId: run.runId,
      jobSeq,
      status,
      step: 'work',
      stateJson: '{}',
      nextJobSeq: status === 'running' ? jobSeq + 1 : jobSeq,
      attempt: 1,
      visit: 1,
      recentJobIds: [],
      expiresAt: Math.floor(now / 1000) + 86_400,
      progress: { percentComplete: status === 'running' ? 50 : 100, summary: `jobSeq ${jobSeq}` },
      history: {
        runId: run.runId,
        jobSeq,
        jobId: `job-${jobSeq}`,
        startedAt: now,
        committedAt: now + jobSeq,
        entries: entries.map((detail) => ({
          at: now,
          step: 'work',
          attempt: 1,
          outcome: 'wait',
          detail,
        })),
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      await store.commit({
        ...commit(0, 'running', ['1 s: first look']),
        owner: run.leaseOwner as string,
        now: now + 10,
        outcome: { kind: 'continue', jobId: run.firstJobId, jobSeq: 0, continuationToken: 'bt1.x' },
      }),
    ).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const next = await store.claim({
      runId: run.runId,
      jobId: 'job-1',
      jobSeq: 1,
      nonce: run.nonce,
      owner: 'owner-2',
      leaseUntil: now + MINUTE,
      now: now + 20,
    });
    expect(next.claimed).toBe(true);
    expect(
      await store.commit({
        ...commit(1, 'succeeded', ['0 s: second look']),
        owner: 'owner-2',
        now: now + 30,
        outcome: { kind: 'succeed', jobId: 'job-1', jobSeq: 1 },
      }),
    ).toBe(true);
    const watched = await watching;
    expect(watched).toMatchObject({ code: 0, stderr: '' });
    const lines = watched.stdout.trimEnd().split('\n');
    // Each history line once, in order; the status as it changed; the end.
    expect(lines.filter((l) => l.includes('first look'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('second look'))).toHaveLength(1);
    // Jobs numbered from 1, as in `baton local`: jobSeq 0 is job 1.
    const order = [
      'running · step work',
      'job 1 committed',
      'first look',
      'job 2 committed',
      'second look',
      'succeeded',
    ];
    const positions = order.map((text) => lines.findIndex((l) => l.includes(text)));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(lines.at(-1)).toMatch(/^succeeded · step work \(attempt 1\) · job 2 · 100% "jobSeq 1"$/);

    const missing = await baton(['runs', 'watch', '0'.repeat(32), '--table', table]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no run ${'0'.repeat(32)}`);
  });
});
