import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBRunStore, encodeToken } from '@baton/core';
import { type DeploymentService, startDeploymentService } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  baton,
  DEPLOY_AND_WAIT_HANDLER,
  uniqueTableName,
  useLocalDynamoDB,
  writeEventFile,
} from './cli-harness.js';

// Runs made by `baton local` (deploy-and-wait in a worker, through the
// CodePipeline emulator) on the test run's DynamoDB Local, then read back
// with `baton runs` the way an operator would.

let endpoint: string;
let succeeding: DeploymentService;
let failing: DeploymentService;
const table = uniqueTableName('cli-runs');
const runIds: { succeeded?: string; failed?: string } = {};

beforeAll(async () => {
  endpoint = useLocalDynamoDB();
  succeeding = await startDeploymentService({ stepsToSucceed: 1 });
  failing = await startDeploymentService({ stepsToSucceed: 1, outcome: 'FAILED' });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([succeeding?.stop(), failing?.stop()]);
});

const paramsFor = (service: DeploymentService) => ({
  deployUrl: `${service.url}/deployments`,
  statusUrl: `${service.url}/deployments/{id}`,
  intervalSeconds: 1,
});

/** The run started last, as the table has it. */
async function newestRunId(): Promise<string | undefined> {
  const store = new DynamoDBRunStore({
    tableName: table,
    client: new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    }),
  });
  const runs = await Promise.all(
    [runIds.failed, runIds.succeeded].map(async (runId) => (await store.getRun(runId ?? ''))?.run),
  );
  return runs.sort((a, b) => (b?.createdAt ?? 0) - (a?.createdAt ?? 0))[0]?.runId;
}

const runIdIn = (stdout: string) => /^run ([0-9a-f]{32})$/m.exec(stdout)?.[1];

describe('baton table create', () => {
  it('creates the table, then says it exists; the name may come from BATON_TABLE_NAME', async () => {
    const created = await baton(['table', 'create', '--table', table]);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toBe(
      `created table ${table} at ${endpoint} (us-east-1), TTL on expiresAt, index runs-by-status active\n`,
    );
    vi.stubEnv('BATON_TABLE_NAME', table);
    const again = await baton(['table', 'create']);
    vi.stubEnv('BATON_TABLE_NAME', undefined);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`table ${table} at ${endpoint} (us-east-1) exists already`);
  });
});

describe('baton local', () => {
  it('plays deploy-and-wait to success through a crash and a duplicate delivery, exit 0', async () => {
    const event = await writeEventFile(paramsFor(succeeding));
    const run = await baton([
      'local',
      ...['--handler', DEPLOY_AND_WAIT_HANDLER, '--event', event, '--table', table],
      ...['--crash', '1', '--duplicate', '1', '--time-scale', '1/1000'],
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain(`DynamoDB Local (environment) at ${endpoint}, table ${table}`);
    expect(out).toContain(
      "faults asked for: job 1 delivered twice; job 1's first invocation killed at report-received",
    );
    // The first try committed, then died as it reported: its report never arrived.
    expect(out).toMatch(/j1-d1-a1 +▶ invoked in container c1 \(cold start\)/);
    expect(out).toContain('· start → goTo poll');
    expect(out).toMatch(/· poll → succeed: deployment [0-9a-f-]+: HTTP 200, status="SUCCEEDED"/);
    expect(out).toContain('◀ PutJobSuccessResult lost: the function died as it reported');
    expect(out).toMatch(/j1-d1-a1 +✖ crashed: cut off by fault/);
    // The duplicate came while the dead committer's invocation could still be
    // reporting: it left the report to it. Lambda's retry of that invocation
    // took the report over and re-sent the committed success. Neither ran a step.
    expect(out).toMatch(
      /j1-d2-a1 +▶ invoked in container c\d+ .*— a duplicate delivery of the event/,
    );
    expect(out).toMatch(
      /j1-d2-a1 +■ returned: a duplicate of a job another invocation is running or reporting: returned quietly/,
    );
    expect(out).toMatch(/j1-d1-a2 +▶ invoked in container c\d+ .*— Lambda's retry 1 of the event/);
    expect(out).toMatch(/j1-d1-a2 +■ returned: .*re-sent its stored success, ran no step/);
    expect(out).toContain('◀ PutJobSuccessResult accepted');
    expect(out).not.toContain('refused: InvalidJobStateException');
    expect(out).toContain('outcome: Succeeded after 1 job and 3 invocations');
    expect(out).toMatch(/ {4}deploymentId +[0-9a-f-]{36}\n/);
    expect(out).toContain('history (1 committed invocation):');
    expect(succeeding.starts.created).toBe(1);
    runIds.succeeded = runIdIn(out);
    expect(runIds.succeeded).toBeDefined();
  });

  it('exits 1 when the action fails, with the failure', async () => {
    const event = await writeEventFile(paramsFor(failing));
    const run = await baton([
      'local',
      ...['--handler', DEPLOY_AND_WAIT_HANDLER, '--event', event, '--table', table],
      ...['--time-scale', '1/1000'],
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('◀ PutJobFailureResult accepted');
    expect(run.stdout).toContain('outcome: Failed after 1 job and 1 invocation');
    expect(run.stdout).toContain('reason: failure-reported');
    expect(run.stdout).toMatch(/failure: JobFailed: .*failureWhen matched/);
    runIds.failed = runIdIn(run.stdout);
    expect(runIds.failed).toBeDefined();
  });
});

describe('baton runs', () => {
  it('lists the runs with status, step, job number, attempt and outcome', async () => {
    const list = await baton(['runs', 'list', '--table', table]);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    const lines = list.stdout.split('\n');
    expect(lines[0]).toBe(`table ${table} at ${endpoint} (us-east-1): 2 runs`);
    expect(lines[2]).toMatch(
      /^RUN ID +JOB +STATUS +STEP +JOB # +ATTEMPT +PROGRESS +OUTCOME +UPDATED +NOTE$/,
    );
    const row = (runId: string | undefined) => lines.find((line) => line.startsWith(`${runId} `));
    expect(row(runIds.succeeded)).toMatch(
      // A succeeded run ends at 100 %.
      // Updated "ago", or "in" a little while: runs played by the emulator carry its
      // pipeline clock, which runs ahead of the wall clock.
      / deploy-and-wait +succeeded +poll +1 +1 +100% +succeed +(?:[\dms. ]+ ago|in [\dms. ]+)$/,
    );
    expect(row(runIds.failed)).toMatch(/ deploy-and-wait +failed +poll +1 +1 +- +fail +/);
  });

  it('filters by --status, caps with --limit, and reads BATON_TABLE_NAME', async () => {
    vi.stubEnv('BATON_TABLE_NAME', table);
    try {
      const failed = await baton(['runs', 'list', '--status', 'failed']);
      expect(failed.stdout).toContain(': 1 failed run\n');
      expect(failed.stdout).toContain(`${runIds.failed} `);
      expect(failed.stdout).not.toContain(`${runIds.succeeded}`);
      const running = await baton(['runs', 'list', '--status', 'running']);
      expect(running.stdout).toContain(': 0 running runs\n\nno runs\n');
      const one = await baton(['runs', 'list', '--limit', '1']);
      expect(one.stdout).toContain(': 1 run (the 1 newest; --limit for more)');
      // Newest first, by start time (the handler's clock: pipeline time).
      const newest = await newestRunId();
      expect(one.stdout).toContain(`${newest} `);
      const other = newest === runIds.failed ? runIds.succeeded : runIds.failed;
      expect(one.stdout).not.toContain(`${other}`);
    } finally {
      vi.stubEnv('BATON_TABLE_NAME', undefined);
    }
  });

  it('lists as JSON for scripts, reading only what it shows: no nonce, state or output variables', async () => {
    const list = await baton(['runs', 'list', '--table', table, '--json']);
    expect(list.code).toBe(0);
    const runs = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    expect(
      runs
        .map((run) => [run.runId, run.status, (run.outcome as { kind: string }).kind])
        .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    ).toEqual([
      [runIds.failed, 'failed', 'fail'],
      [runIds.succeeded, 'succeeded', 'succeed'],
    ]);
    // Newest first.
    const started = runs.map((run) => Date.parse(String(run.createdAt)));
    expect(started).toEqual([...started].sort((a, b) => b - a));
    const succeeded = runs.find((run) => run.runId === runIds.succeeded);
    expect(succeeded).toMatchObject({
      jobName: 'deploy-and-wait',
      storedStatus: 'succeeded',
      step: 'poll',
      jobNumber: 1,
      attempt: 1,
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      outcome: { kind: 'succeed', jobNumber: 1 },
    });
    expect(Object.keys(succeeded?.outcome as object).sort()).toEqual(['jobNumber', 'kind']);
    for (const unread of ['nonce', 'state', 'historyCount', 'firstJobId', 'stuck']) {
      expect(succeeded).not.toHaveProperty(unread);
    }
  });

  it('shows one run with its state and full history; a Baton token names the run too', async () => {
    const runId = runIds.succeeded as string;
    const at = Date.now();
    const show = await baton(['runs', 'show', runId, '--table', table], { now: () => at });
    expect(show).toMatchObject({ code: 0, stderr: '' });
    const out = show.stdout;
    expect(out).toMatch(new RegExp(`^run ${runId}\n`));
    expect(out).toContain('  status        succeeded\n');
    expect(out).toContain('  step          poll (attempt 1)\n');
    expect(out).toContain('  lease         none\n');
    expect(out).toMatch(/ {2}outcome {7}succeed for job 1 \([0-9a-f]{8}…\), .*output variables: /);
    expect(out).toMatch(/ {2}state {9}\{"polls":0,"errors":0,"deploymentId":"[0-9a-f-]{36}"\}/);
    expect(out).toContain('history (1 committed invocation):');
    expect(out).toContain('  last job      1 (1 is the first job)\n');
    expect(out).toMatch(/ {2}job 1 \([0-9a-f]{8}…\) · request [0-9a-f]{8}… · /);
    expect(out).toMatch(/ {4}\d\d:\d\d:\d\d\.\d{3} {2}start → goTo poll\n/);
    expect(out).toMatch(/ {4}\d\d:\d\d:\d\d\.\d{3} {2}poll → succeed: deployment /);
    const stored = await new DynamoDBRunStore({
      tableName: table,
      client: new DynamoDBClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
      }),
    }).getRun(runId);
    expect(out).not.toContain(stored?.run.nonce);

    const token = encodeToken({ runId, jobSeq: 1, nonce: 'A'.repeat(22) });
    const byToken = await baton(['runs', 'show', token, '--table', table], { now: () => at });
    expect(byToken.stdout).toBe(out);
  });

  it('shows a run as JSON with the parsed state and every history entry', async () => {
    const show = await baton([
      'runs',
      'show',
      runIds.succeeded as string,
      '--table',
      table,
      '--json',
    ]);
    const run = JSON.parse(show.stdout) as {
      state: { deploymentId: string };
      outcome: { outputVariables: Record<string, string> };
      history: Array<{ jobNumber: number; entries: Array<{ step: string; outcome: string }> }>;
    };
    expect(run.state.deploymentId).toBe(run.outcome.outputVariables.deploymentId);
    expect(run.history).toHaveLength(1);
    expect(run.history[0]?.jobNumber).toBe(1);
    expect(run.history[0]?.entries.map((entry) => `${entry.step} ${entry.outcome}`)).toEqual([
      'start goTo',
      'poll succeed',
    ]);
  });

  it('prints only fields the README documents for --json, list and show apart', async () => {
    const documented = readmeJsonFields();
    const list = JSON.parse((await baton(['runs', 'list', '--table', table, '--json'])).stdout);
    const listed = new Set((list as object[]).flatMap((run) => Object.keys(run)));
    expect([...listed].filter((field) => !documented.list.has(field))).toEqual([]);
    const show = JSON.parse(
      (await baton(['runs', 'show', runIds.succeeded as string, '--table', table, '--json']))
        .stdout,
    ) as object;
    expect(Object.keys(show).filter((field) => !documented.show.has(field))).toEqual([]);
    // What the list leaves out is what it does not read.
    for (const field of ['state', 'history', 'historyCount', 'firstJobId']) {
      expect(documented.show.has(field) && !documented.list.has(field)).toBe(true);
      expect(show).toHaveProperty(field);
    }
  });

  it('fails with 1 and says so for an unknown run or a missing table', async () => {
    const unknown = await baton(['runs', 'show', 'f'.repeat(32), '--table', table]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      `baton runs show: no run ${'f'.repeat(32)} in table ${table} at ${endpoint} (us-east-1)\n`,
    );
    const missing = await baton(['runs', 'list', '--table', 'no-such-table']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("table 'no-such-table' does not exist there");
    expect(missing.stderr).toContain('create it with: baton table create --table no-such-table');
  });
});

/** The `--json fields` table of the README: which fields `runs list` and `runs show` print. */
function readmeJsonFields(): { list: Set<string>; show: Set<string> } {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('### `--json` fields'));
  const list = new Set<string>();
  const show = new Set<string>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 5 || !cells[1]?.startsWith('`')) continue;
    for (const name of cells[1].matchAll(/`(\w+)`/g)) {
      if (cells[2] === '✓') list.add(name[1] as string);
      if (cells[3] === '✓') show.add(name[1] as string);
    }
  }
  return { list, show };
}
