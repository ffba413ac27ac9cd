import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBRunStore, type RunRecord } from '@baton/core';
import {
  type CodePipelineEmulator,
  type DeploymentService,
  startCodePipelineEmulator,
  startDeploymentService,
} from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { diagnoseStuck, STUCK_AFTER_MS } from '../src/stuck-run.js';
import {
  baton,
  DEPLOY_AND_WAIT_HANDLER,
  uniqueTableName,
  useLocalDynamoDB,
} from './cli-harness.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 2, 10, 0, 0);

function runRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: 'a'.repeat(32),
    jobName: 'deploy-and-wait',
    firstJobId: 'job-1',
    status: 'running',
    step: 'poll',
    nextJobSeq: 2,
    nonce: 'nonce',
    attempt: 1,
    visit: 2,
    createdAt: T0 - 10 * MINUTE,
    updatedAt: T0,
    deadlineAt: T0 + 23 * 60 * MINUTE,
    historyCount: 2,
    expiresAt: Math.floor(T0 / 1000) + 30 * 24 * 3600,
    ...overrides,
  };
}

describe('diagnoseStuck', () => {
  it('leaves finished runs, live leases and recently updated runs alone', () => {
    const old = T0 + 5 * 60 * MINUTE;
    expect(diagnoseStuck(runRecord({ status: 'succeeded' }), old)).toBeUndefined();
    expect(
      diagnoseStuck(runRecord({ status: 'failed', leaseOwner: 'o', leaseUntil: T0 }), old),
    ).toBeUndefined();
    const leased = runRecord({ leaseOwner: 'o', leaseUntil: T0 + 5 * MINUTE });
    expect(diagnoseStuck(leased, T0 + 4 * MINUTE)).toBeUndefined();
    expect(diagnoseStuck(runRecord(), T0 + STUCK_AFTER_MS)).toBeUndefined();
  });

  it('flags a lease that expired without a commit; Lambda may still retry for a few minutes', () => {
    const crashed = runRecord({
      leaseOwner: 'owner-1',
      leaseRequestId: 'req-1',
      leaseUntil: T0 + 15 * MINUTE,
      lastError: 'DeployStartError: start request failed',
    });
    const soon = diagnoseStuck(crashed, T0 + 16 * MINUTE);
    expect(soon?.reason).toBe(
      // The job numbered as `baton local` numbers it; the time said once.
      'the invocation that claimed job 3 (request req-1) never committed: its lease expired ' +
        'at 2025-01-02T10:15:00Z (1m 00s ago) (crashed or timed out); ' +
        'last error: DeployStartError: start request failed',
    );
    expect(soon?.advice).toMatch(/^Lambda retries a failed invocation about 1 and 2 minutes later/);
    expect(soon?.advice).toMatch(
      /retry the stage \(a new run starts\); this run will expire via TTL at 2025-02-01T10:00:00Z/,
    );
    const late = diagnoseStuck(crashed, T0 + 25 * MINUTE);
    expect(late?.advice).toMatch(
      /^no retry took the run over; the pipeline action has probably timed out — retry the stage/,
    );
    expect(late?.since).toBe(T0);
  });

  it('flags a running run nothing has updated for 20 minutes', () => {
    const idle = diagnoseStuck(runRecord(), T0 + STUCK_AFTER_MS + 1000);
    expect(idle?.reason).toBe(
      'no invocation has finished this run since 2025-01-02T10:00:00Z (20m 01s ago)',
    );
    expect(idle?.advice).toBe(
      'the pipeline action has probably timed out (CodePipeline fails a Lambda action after 20 ' +
        'minutes without a reply) — retry the stage (a new run starts); this run will expire via ' +
        'TTL at 2025-02-01T10:00:00Z (in 29d 23h)',
    );
  });
});

// Two runs left behind the way they are in real life, by playing deploy-and-wait
// through the emulator: one whose worker was killed mid-step with no retry
// after it, one whose next job never came. The CLI's clock is then moved on.
describe('baton runs on stuck runs', () => {
  const table = uniqueTableName('cli-stuck');
  let emulator: CodePipelineEmulator;
  let service: DeploymentService;
  let store: DynamoDBRunStore;
  let crashed: RunRecord;
  let idle: RunRecord;

  beforeAll(async () => {
    const endpoint = useLocalDynamoDB();
    expect((await baton(['table', 'create', '--table', table])).code).toBe(0);
    store = new DynamoDBRunStore({
      tableName: table,
      client: new DynamoDBClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
      }),
    });
    emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 });
    // The first start request is never answered: the worker is killed while it waits.
    service = await startDeploymentService({ stepsToSucceed: 3, holdFirstStartMs: 60_000 });
    const common = {
      handler: DEPLOY_AND_WAIT_HANDLER,
      environment: { BATON_TABLE_NAME: table, AWS_ENDPOINT_URL_DYNAMODB: endpoint },
      userParameters: {
        deployUrl: `${service.url}/deployments`,
        statusUrl: `${service.url}/deployments/{id}`,
        intervalSeconds: 60,
      },
    };
    const killed = await emulator.runLambdaAction({
      ...common,
      // Killed 4 s in, long after its claim, while its start request is held;
      // Baton's own time budget (8 s less the margin) is never reached.
      functionTimeoutMs: 8000,
      faults: [{ kind: 'cut-off', at: { afterMs: 4000 }, when: { sequence: 1 } }],
      retryDelaysMs: [],
      noReplyTimeoutMs: 60_000,
    });
    expect(killed.invocations.map((invocation) => invocation.outcome.kind)).toEqual(['crashed']);
    const waiting = await emulator.runLambdaAction({
      ...common,
      // The continuation job would come after 10 minutes; the action ends after 2.
      continuationDelayMs: 10 * MINUTE,
      actionTimeoutMs: 2 * MINUTE,
    });
    expect(waiting.reason).toBe('action-timeout');
    const runs: RunRecord[] = [];
    for await (const run of store.listRuns()) runs.push(run);
    crashed = runs.find((run) => run.leaseOwner !== undefined) as RunRecord;
    idle = runs.find((run) => run.leaseOwner === undefined) as RunRecord;
    expect(crashed).toMatchObject({
      status: 'running',
      step: 'start',
      nextJobSeq: 0,
      historyCount: 0,
    });
    expect(idle).toMatchObject({ status: 'running', step: 'poll', nextJobSeq: 1, historyCount: 1 });
  }, 60_000);

  afterAll(async () => {
    vi.unstubAllEnvs();
    await emulator?.stop();
    await service?.stop();
  });

  it('shows the killed run as running while its lease lasts, stuck once it expired', async () => {
    const during = await baton(['runs', 'list', '--table', table], {
      now: () => (crashed.leaseUntil as number) - 1000,
    });
    expect(during.stdout).toMatch(
      new RegExp(
        `^${crashed.runId} +deploy-and-wait +running +start +1 +1 .*leased by [0-9a-f]{8}… for 1\\.0s$`,
        'm',
      ),
    );
    expect(during.stdout).not.toContain('stuck runs:');

    const after = await baton(['runs', 'list', '--table', table, '--status', 'stuck'], {
      now: () => (crashed.leaseUntil as number) + MINUTE,
    });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(': 1 stuck run\n');
    expect(after.stdout).toMatch(
      new RegExp(
        `^${crashed.runId} +deploy-and-wait +stuck +start .*lease of [0-9a-f]{8}… expired 1m 00s ago$`,
        'm',
      ),
    );
    expect(after.stdout).toContain(
      `stuck runs:\n  ${crashed.runId}: the invocation that claimed job 1 (request ${crashed.leaseRequestId}) never committed: its lease expired at `,
    );
    expect(after.stdout).toContain(
      '    → Lambda retries a failed invocation about 1 and 2 minutes later',
    );
    expect(after.stdout).not.toContain(idle.runId);
  });

  it('flags both runs once 20 minutes passed without an update, with what to do', async () => {
    const later = () => idle.updatedAt + STUCK_AFTER_MS + MINUTE;
    const list = await baton(['runs', 'list', '--table', table, '--json'], { now: later });
    const runs = JSON.parse(list.stdout) as Array<{
      runId: string;
      status: string;
      stuck?: { reason: string; advice: string };
    }>;
    expect(runs.map((run) => run.status)).toEqual(['stuck', 'stuck']);
    const idleView = runs.find((run) => run.runId === idle.runId);
    expect(idleView?.stuck?.reason).toMatch(
      /^no invocation has finished this run since \S+Z \(21m 00s ago\)$/,
    );
    expect(idleView?.stuck?.advice).toMatch(
      /the pipeline action has probably timed out .* — retry the stage \(a new run starts\); this run will expire via TTL at /,
    );
    const crashedView = runs.find((run) => run.runId === crashed.runId);
    expect(crashedView?.stuck?.advice).toMatch(
      /^no retry took the run over; the pipeline action has probably timed out — retry the stage/,
    );

    const running = await baton(['runs', 'list', '--table', table, '--status', 'running'], {
      now: later,
    });
    expect(running.stdout).toContain(': 0 running runs');

    const show = await baton(['runs', 'show', idle.runId, '--table', table], { now: later });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('  status        stuck (stored: running)\n');
    expect(show.stdout).toMatch(
      /\n {2}STUCK {9}no invocation has finished this run since .*\n {16}→ the pipeline action has probably timed out/,
    );
    expect(show.stdout).toMatch(
      / {2}progress {6}\[█+░+\] +\d+% poll 1: HTTP 200, status="IN_PROGRESS"/,
    );
    expect(show.stdout).toContain('  resumes at    ');
  });
});
