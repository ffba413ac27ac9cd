/**
 * Plays one fault schedule through the CodePipeline emulator against DynamoDB
 * Local (behind the fault proxy), collects everything observable about it, and
 * checks the invariants (`invariants.ts`).
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CodePipelineClient, PutJobFailureResultCommand } from '@aws-sdk/client-codepipeline';
import {
  DescribeTableCommand,
  DynamoDBClient,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  createJsonLogger,
  createLambdaHandler,
  createTable,
  DynamoDBRunStore,
  type HistoryRecord,
  type RunRecord,
} from '@baton/core';
import {
  type CodePipelineEmulator,
  formatTimelineEvent,
  type LambdaActionResult,
  startCodePipelineEmulator,
  type TimelineEvent,
} from '@baton/testing';
import {
  type DynamoDBFaultProxy,
  ProxiedAction,
  startDynamoDBFaultProxy,
} from '../../fixtures/reliability/dynamodb-fault-proxy.js';
import {
  compressedRetryStrategy,
  currentInvocation,
  type InvocationRecord,
  tagDynamoDBClient,
  trackInvocations,
} from '../../fixtures/reliability/invocation-context.js';
import { createScheduleJob, type StepRecord } from '../../fixtures/reliability/schedule-job.js';
import { checkInvariants, type RunSnapshot } from './invariants.js';
import { LATE_RETRY_DELAYS_MS, type Schedule, type ScheduleMode } from './schedule.js';

/** Pipeline timing: a pipeline minute lasts 12 ms; handlers run in real time. */
export const TIME_SCALE = 1 / 5000;
/**
 * The no-reply window, in pipeline ms: three hours (2.2 s real while no
 * handler runs) instead of 20 minutes, so a test machine busy with other
 * suites cannot make a job time out that it merely delayed.
 */
export const NO_REPLY_TIMEOUT_MS = 3 * 60 * 60_000;
/** Function timeout (real ms): short, so budgets and overruns are cheap to reach. */
export const FUNCTION_TIMEOUT_MS = 3000;
/**
 * Safety margin of the fixture handlers (real ms): a quarter of the
 * invocation, as Baton's default for short functions, so a commit and a
 * report still fit when the test machine is busy with other suites.
 */
export const SAFETY_MARGIN_MS = 750;

const WORKER_HANDLER = fileURLToPath(
  new URL('../../fixtures/reliability/worker-handler.ts', import.meta.url),
);

/** Figures over every schedule a suite played. */
export interface Totals {
  schedules: number;
  invocations: number;
  stepExecutions: number;
  faults: Record<string, number>;
  violations: number;
  /** Largest event-loop delay of the test process seen, in ms. */
  maxLagMs: number;
}

export interface ReliabilityEnv {
  emulator: CodePipelineEmulator;
  proxy: DynamoDBFaultProxy;
  tableName: string;
  /** A client straight to DynamoDB Local (no faults), for the test's own reads. */
  direct: DynamoDBClient;
  store: DynamoDBRunStore;
  /** The in-process handlers' client: through the proxy, tagged per invocation. */
  proxied: DynamoDBClient;
  codePipeline: CodePipelineClient;
  workDir: string;
  totals: Totals;
  /** Every artifact credential value any job was given. */
  secrets: Set<string>;
  /**
   * Event-loop delay of the test process. In-process handlers share its event
   * loop, so a handler can return late by as much as the loop was held up;
   * the property resets it before each batch.
   */
  lag: ReturnType<typeof monitorEventLoopDelay>;
  stop(): Promise<void>;
}

const LOCAL = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};

export async function startReliabilityEnv(dynamodbEndpoint: string): Promise<ReliabilityEnv> {
  const direct = new DynamoDBClient({ ...LOCAL, endpoint: dynamodbEndpoint });
  const tableName = `reliability-${randomUUID()}`;
  await createTable(direct, tableName);
  const proxy = await startDynamoDBFaultProxy(dynamodbEndpoint);
  const emulator = await startCodePipelineEmulator({ timeScale: TIME_SCALE });
  const proxied = tagDynamoDBClient(
    new DynamoDBClient({
      ...LOCAL,
      endpoint: proxy.endpoint,
      retryStrategy: compressedRetryStrategy(),
    }),
    () => {
      throw new Error('in-process handlers cannot crash: crash faults need worker schedules');
    },
  );
  const codePipeline = new CodePipelineClient({ ...emulator.clientConfig, maxAttempts: 1 });
  // A Lambda container loads its SDK clients once; so do the in-process
  // handlers, before the first schedule's time budget starts.
  await proxied.send(new DescribeTableCommand({ TableName: tableName }));
  const warmUp = emulator.createJob();
  await codePipeline.send(
    new PutJobFailureResultCommand({
      jobId: warmUp.id,
      failureDetails: { type: 'JobFailed', message: 'warm-up' },
    }),
  );
  const workDir = mkdtempSync(join(tmpdir(), 'baton-reliability-'));
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  return {
    emulator,
    proxy,
    tableName,
    direct,
    store: new DynamoDBRunStore({ tableName, client: direct }),
    proxied,
    codePipeline,
    workDir,
    totals: {
      schedules: 0,
      invocations: 0,
      stepExecutions: 0,
      faults: {},
      violations: 0,
      maxLagMs: 0,
    },
    secrets: new Set(),
    lag,
    stop: async () => {
      lag.disable();
      await emulator.stop();
      await proxy.close();
      direct.destroy();
      proxied.destroy();
      codePipeline.destroy();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** The run id Baton derives from a first job's id. */
export function runIdForJob(jobId: string): string {
  return createHash('sha256').update(`baton-run:${jobId}`).digest('hex').slice(0, 32);
}

/** Everything one played schedule left behind. */
export interface PlayedSchedule {
  schedule: Schedule;
  mode: ScheduleMode;
  result: LambdaActionResult;
  runId: string;
  run: RunRecord | undefined;
  history: HistoryRecord[];
  /** The run's items as DynamoDB holds them, as JSON text. */
  items: string;
  snapshots: RunSnapshot[];
  steps: StepRecord[];
  invocations: InvocationRecord[];
  logs: string[];
  ddb: ProxiedAction;
}

export interface ScheduleOutcome {
  played: PlayedSchedule;
  violations: string[];
  faults: Record<string, number>;
}

/** Plays `schedule` and checks it; never throws for a violation (the caller decides). */
export async function playSchedule(
  env: ReliabilityEnv,
  schedule: Schedule,
  mode: ScheduleMode,
): Promise<ScheduleOutcome> {
  const ddb = new ProxiedAction(schedule.dynamodb);
  const steps: StepRecord[] = [];
  const invocations: InvocationRecord[] = [];
  const logs: string[] = [];
  const snapshots: RunSnapshot[] = [];
  let runId = '';
  // Reads are chained, so they are served in the order the invocations ended.
  let reads: Promise<void> = Promise.resolve();
  const snapshotAfter = (label: string) => {
    if (!runId) return;
    const id = runId;
    reads = reads.then(async () => {
      const found = await env.store.getRun(id);
      if (found)
        snapshots.push({ after: label, run: found.run, historyCount: found.history.length });
    });
  };
  const onEvent = (event: TimelineEvent) => {
    if (event.type === 'job-created') {
      env.proxy.attach(event.jobId, event.sequence, ddb);
      if (event.sequence === 1) runId = runIdForJob(event.jobId);
    }
    if (
      event.type === 'invocation-ended' ||
      event.type === 'invocation-errored' ||
      event.type === 'invocation-crashed' ||
      event.type === 'invocation-timed-out'
    ) {
      snapshotAfter(event.invocationId);
    }
  };

  const logFile = join(env.workDir, `${randomUUID()}.jsonl`);
  let handler: Parameters<CodePipelineEmulator['runLambdaAction']>[0]['handler'];
  if (mode === 'in-process') {
    const job = createScheduleJob({
      record: (record) => steps.push(record),
      executions: (id, tick, attempt) =>
        steps.filter((r) => r.runId === id && r.tick === tick && r.attempt === attempt).length,
      stepsBy: (inv) => steps.filter((r) => r.inv === inv).length,
      crash: () => {
        throw new Error('in-process handlers cannot crash');
      },
      currentInvocation,
    });
    const baton = createLambdaHandler(job, {
      tableName: env.tableName,
      dynamoDBClient: env.proxied,
      codePipelineClient: env.codePipeline,
      logger: createJsonLogger({ level: 'DEBUG', write: (line) => logs.push(line) }),
      retryTakeoverAfterMs: 0,
      safetyMarginMs: SAFETY_MARGIN_MS,
    });
    handler = trackInvocations(baton, (record) => invocations.push(record)) as typeof handler;
  } else {
    writeFileSync(logFile, '');
    handler = WORKER_HANDLER;
  }

  const result = await env.emulator.runLambdaAction({
    handler,
    userParameters: { ...schedule.plan },
    faults: schedule.pipeline,
    seed: schedule.seed,
    functionTimeoutMs: FUNCTION_TIMEOUT_MS,
    continuationDelayMs: 30_000,
    noReplyTimeoutMs: NO_REPLY_TIMEOUT_MS,
    ...(schedule.retryDelaysMs ? { retryDelaysMs: schedule.retryDelaysMs } : {}),
    onEvent,
    ...(mode === 'worker'
      ? {
          environment: {
            BATON_RELIABILITY_LOG: logFile,
            BATON_RELIABILITY_MARGIN_MS: String(SAFETY_MARGIN_MS),
            BATON_TABLE_NAME: env.tableName,
            AWS_ENDPOINT_URL_DYNAMODB: env.proxy.endpoint,
            AWS_LAMBDA_LOG_LEVEL: 'DEBUG',
          },
        }
      : {}),
  });
  await reads;

  if (mode === 'worker') {
    for (const line of readFileSync(logFile, 'utf8').split('\n')) {
      if (!line) continue;
      const record = JSON.parse(line) as StepRecord | InvocationRecord;
      if (record.type === 'step') steps.push(record);
      else invocations.push(record);
    }
    rmSync(logFile, { force: true });
    for (const event of result.timeline) if (event.type === 'handler-output') logs.push(event.text);
  }

  const found = runId ? await env.store.getRun(runId) : undefined;
  const raw = runId
    ? await env.direct.send(
        new QueryCommand({
          TableName: env.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: `run#${runId}` } },
          ConsistentRead: true,
        }),
      )
    : undefined;
  for (const job of result.jobs) {
    for (const value of Object.values(job.artifactCredentials)) {
      if (typeof value === 'string') env.secrets.add(value);
    }
  }

  const played: PlayedSchedule = {
    schedule,
    mode,
    result,
    runId,
    run: found?.run,
    history: [...(found?.history ?? [])].sort((a, b) => a.jobSeq - b.jobSeq),
    items: JSON.stringify(raw?.Items ?? []),
    snapshots,
    steps,
    invocations,
    logs,
    ddb,
  };
  const lagMs = env.lag.max / 1e6;
  const violations = checkInvariants(played, { lagMs });
  const faults: Record<string, number> = {};
  const count = (kind: string) => {
    faults[kind] = (faults[kind] ?? 0) + 1;
  };
  for (const event of result.timeline) {
    if (event.type === 'fault-injected') count(`pipeline:${event.fault}`);
    // A late retry is counted when it happens (only a failed invocation has one).
    if (event.type === 'retry-scheduled' && event.delayMs >= LATE_RETRY_DELAYS_MS[0])
      count('lambda:late-retry');
  }
  for (const injected of ddb.injected) count(`dynamodb:${injected.kind}`);
  for (const step of steps) if (step.fault) count(`step:${step.fault}`);

  const totals = env.totals;
  totals.schedules += 1;
  totals.invocations += result.invocations.length;
  totals.stepExecutions += steps.length;
  totals.violations += violations.length > 0 ? 1 : 0;
  totals.maxLagMs = Math.max(totals.maxLagMs, lagMs);
  for (const [kind, n] of Object.entries(faults))
    totals.faults[kind] = (totals.faults[kind] ?? 0) + n;
  return { played, violations, faults };
}

/** A readable account of a played schedule, for a failing property. */
export function describePlayed(outcome: ScheduleOutcome): string {
  const { played } = outcome;
  const timeline = played.result.timeline
    .filter((event) => event.type !== 'handler-output')
    .map((event) => `  ${formatTimelineEvent(event)}`);
  const steps = played.steps.map(
    (s) =>
      `  step ${s.step} tick ${s.tick} attempt ${s.attempt} seq ${s.jobSeq} inv ${s.inv?.slice(0, 8)} at ${s.at}${s.fault ? ` (${s.fault})` : ''}`,
  );
  const invocations = played.invocations.map(
    (i) =>
      `  inv ${i.inv.slice(0, 8)} job ${i.jobId?.slice(0, 8)} ${i.kind ?? i.error} ${i.reportStatus ?? ''} steps ${i.stepsRun ?? '-'} ${i.end - i.start}ms (deadline ${i.deadline - i.start}ms)`,
  );
  const history = played.history.map(
    (h) =>
      `  hist seq ${h.jobSeq} job ${h.jobId.slice(0, 8)} committedAt ${h.committedAt}: ${h.entries.map((e) => `${e.step}/${e.attempt}/${e.outcome}`).join(', ')}`,
  );
  return [
    `violations (${played.mode}):`,
    ...outcome.violations.map((v) => `  - ${v}`),
    `schedule: ${JSON.stringify(played.schedule)}`,
    `run ${played.runId}: ${JSON.stringify({ status: played.run?.status, sequence: played.run?.nextJobSeq, step: played.run?.step, outcome: played.run?.outcome })}`,
    'timeline:',
    ...timeline,
    'dynamodb faults:',
    ...played.ddb.injected.map((f) => `  ${JSON.stringify(f)}`),
    'invocations:',
    ...invocations,
    'step executions:',
    ...steps,
    'history:',
    ...history,
  ].join('\n');
}

/** Every item of the table, as JSON text (for the secret scan). */
export async function scanTable(env: ReliabilityEnv): Promise<string> {
  const items: unknown[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await env.direct.send(
      new ScanCommand({
        TableName: env.tableName,
        ...(start ? { ExclusiveStartKey: start as never } : {}),
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items);
}
