/**
 * Plays one fault schedule through the CodePipeline emulator against DynamoDB
 * Local (behind the fault proxy), collects everything observable about it, and
 * checks the invariants (`invariants.ts`).
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import {
  createJsonLogger,
  createLambdaHandler,
  type HistoryRecord,
  type RunRecord,
} from '@baton/core';
import type { CodePipelineEmulator, LambdaActionResult, TimelineEvent } from '@baton/testing';
import { ProxiedAction } from '../../fixtures/reliability/dynamodb-fault-proxy.js';
import {
  currentInvocation,
  type InvocationRecord,
  trackInvocations,
} from '../../fixtures/reliability/invocation-context.js';
import { createScheduleJob, type StepRecord } from '../../fixtures/reliability/schedule-job.js';
import { checkInvariants, type RunSnapshot } from './invariants.js';
import {
  FUNCTION_TIMEOUT_MS,
  NO_REPLY_TIMEOUT_MS,
  type ReliabilityEnv,
  SAFETY_MARGIN_MS,
} from './reliability-env.js';
import { LATE_RETRY_DELAYS_MS, type Schedule, type ScheduleMode } from './schedule.js';

const WORKER_HANDLER = fileURLToPath(
  new URL('../../fixtures/reliability/worker-handler.ts', import.meta.url),
);

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
      // Metric lines join the log lines: out of the test log, and scanned for secrets too.
      metrics: { write: (line) => logs.push(line) },
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
