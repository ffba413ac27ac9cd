import { randomBytes, randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** How the seeded runs are spread. */
export interface SeedPlan {
  runs: number;
  /** Share of runs still running; a tenth of them are stuck (lease expired). */
  runningShare: number;
  failedShare: number;
  abandonedShare: number;
  jobNames: readonly string[];
  /** Runs start over this many days before `now`. */
  days: number;
  /** History items per run. */
  historyPerRun: number;
}

export const DEFAULT_SEED_PLAN: SeedPlan = {
  runs: 100_000,
  runningShare: 0.01,
  failedShare: 0.07,
  abandonedShare: 0.02,
  jobNames: Array.from({ length: 10 }, (_, index) => `job-${index}`),
  days: 30,
  historyPerRun: 2,
};

/** What was seeded, for the measurements to aim at. */
export interface Seeded {
  runs: number;
  items: number;
  running: number;
  stuck: number;
  seconds: number;
  /** A run id that exists, to check the layout with the store. */
  sampleRunId: string;
}

const BATCH = 25;
const CONCURRENCY = 8;

/**
 * Writes `plan.runs` runs (a run item and `historyPerRun` history items each,
 * with state, progress and outcome of realistic size) with BatchWriteItem.
 * The item layout is the store's (packages/core/src/store/dynamodb/run-items.ts:
 * `pk = run#<runId>`, `sk = run | hist#<10-digit jobSeq>`); the bench checks it
 * by reading one run back through `DynamoDBRunStore`.
 */
export async function seedRuns(
  client: DynamoDBClient,
  tableName: string,
  plan: SeedPlan,
  now: number,
): Promise<Seeded> {
  const started = performance.now();
  const doc = DynamoDBDocumentClient.from(client);
  let next = 0;
  let items = 0;
  let running = 0;
  let stuck = 0;
  let sampleRunId = '';
  const itemsOf = (index: number): Record<string, unknown>[] => {
    const runId = randomBytes(16).toString('hex');
    if (index === 0) sampleRunId = runId;
    const createdAt = now - Math.floor(((index + 0.5) / plan.runs) * plan.days * 86_400_000);
    const draw = (index * 7919) % 1000;
    const status =
      draw < plan.runningShare * 1000
        ? 'running'
        : draw < (plan.runningShare + plan.failedShare) * 1000
          ? 'failed'
          : draw < (plan.runningShare + plan.failedShare + plan.abandonedShare) * 1000
            ? 'abandoned'
            : 'succeeded';
    const isStuck = status === 'running' && index % 10 === 0;
    if (status === 'running') running += 1;
    if (isStuck) stuck += 1;
    const updatedAt = status === 'running' && !isStuck ? now - 30_000 : createdAt + 600_000;
    const jobId = randomUUID();
    const pk = `run#${runId}`;
    const expiresAt = Math.floor(createdAt / 1000) + 90 * 86_400;
    const run: Record<string, unknown> = {
      pk,
      sk: 'run',
      runId,
      jobName: plan.jobNames[index % plan.jobNames.length],
      firstJobId: jobId,
      status,
      step: status === 'running' ? 'poll' : 'done',
      stateJson: JSON.stringify({ deploymentId: randomUUID(), polls: 3, note: 'x'.repeat(200) }),
      nextJobSeq: plan.historyPerRun,
      nonce: randomBytes(16).toString('base64url'),
      attempt: 1,
      visit: 3,
      progress: {
        percentComplete: status === 'succeeded' ? 100 : 60,
        summary: 'poll 3: HTTP 200, status="IN_PROGRESS"',
      },
      outcome:
        status === 'succeeded'
          ? {
              kind: 'succeed',
              jobId,
              jobSeq: plan.historyPerRun,
              summary: 'deployment finished',
              outputVariables: {
                deploymentId: randomUUID(),
                url: `https://example.com/${'v'.repeat(100)}`,
              },
            }
          : status === 'failed'
            ? {
                kind: 'fail',
                jobId,
                jobSeq: plan.historyPerRun,
                failureType: 'JobFailed',
                message: 'deployment FAILED',
              }
            : {
                kind: 'continue',
                jobId,
                jobSeq: plan.historyPerRun - 1,
                continuationToken: `bt1.${runId}.${plan.historyPerRun}.${'N'.repeat(22)}`,
                percentComplete: 60,
              },
      recentJobIds: [jobId],
      createdAt,
      updatedAt,
      deadlineAt: createdAt + 3_600_000,
      historyCount: plan.historyPerRun,
      expiresAt,
      ...(isStuck
        ? {
            leaseOwner: randomUUID(),
            leaseUntil: updatedAt + 300_000,
            leaseRequestId: randomUUID(),
          }
        : {}),
      ...(status === 'abandoned'
        ? {
            abandonedAt: updatedAt,
            abandonReason: 'no-reply',
            abandonDetail: 'no invocation for 30 minutes',
          }
        : {}),
    };
    const history = Array.from({ length: plan.historyPerRun }, (_, jobSeq) => ({
      pk,
      sk: `hist#${String(jobSeq).padStart(10, '0')}`,
      runId,
      jobSeq,
      jobId: randomUUID(),
      requestId: randomUUID(),
      startedAt: createdAt + jobSeq * 60_000,
      committedAt: createdAt + jobSeq * 60_000 + 800,
      entries: [
        {
          at: createdAt + jobSeq * 60_000 + 400,
          step: 'poll',
          attempt: 1,
          outcome: 'wait',
          detail: '30 s: poll: HTTP 200, status="IN_PROGRESS"',
        },
      ],
      expiresAt,
    }));
    return [run, ...history];
  };
  const worker = async () => {
    for (;;) {
      const batch: Record<string, unknown>[] = [];
      while (batch.length + 1 + plan.historyPerRun <= BATCH && next < plan.runs) {
        batch.push(...itemsOf(next));
        next += 1;
      }
      if (batch.length === 0) return;
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      while (pending.length > 0) {
        const out = await doc.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
        );
        pending = (out.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
      items += batch.length;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return {
    runs: plan.runs,
    items,
    running,
    stuck,
    seconds: (performance.now() - started) / 1000,
    sampleRunId,
  };
}
