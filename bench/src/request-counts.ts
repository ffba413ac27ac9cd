import { randomUUID } from 'node:crypto';
import type { InvocationResult } from '@baton/core';
import type { BenchEnv } from './bench-env.js';
import { continuationOf, type Delivery, deliver, pollUserParameters, sleep } from './driver.js';
import { lambdaContext } from './lambda-context.js';
import { createVariant } from './variants.js';

/** Most requests an invocation may send in a scenario, per the design's cost contract. */
export interface RequestTarget {
  dynamo?: number;
  codePipeline?: number;
  /** Status-endpoint hits allowed (0: no user code may run). */
  polls?: number;
}

export interface RequestCountRow {
  scenario: string;
  dynamo: number;
  codePipeline: number;
  /** Operations sent, in order of first use, with counts (`UpdateItem, TransactWriteItems`). */
  operations: string;
  polls: number;
  /** What the invocation did (Baton's result kind, outcome and report status). */
  result: string;
  /** Absent: informational row with no target. */
  target?: RequestTarget;
  pass?: boolean;
}

const HAPPY: RequestTarget = { dynamo: 2, codePipeline: 1 };

/**
 * Requests per Baton invocation, counted by SDK middleware, for the happy
 * path and for each kind of repeated delivery the run protocol handles.
 */
export async function measureRequestCounts(env: BenchEnv): Promise<RequestCountRow[]> {
  const { fixtures, config } = env;
  const container = createVariant('baton', env);
  // A second container for deliveries that overlap the first (Lambda runs them apart).
  const other = createVariant('baton', env);
  const rows: RequestCountRow[] = [];
  const polls = { intervalSeconds: config.intervalSeconds };
  let actions = 0;
  const newAction = async (options: { polls: number; delayMs?: number }) => {
    const actionId = `counts-${++actions}-${randomUUID().slice(0, 8)}`;
    const userParameters = pollUserParameters(fixtures.statusEndpoint, actionId, {
      ...polls,
      ...options,
    });
    const job = await fixtures.createJob({ userParameters });
    return { actionId, userParameters, ...job };
  };
  const measured = async (
    scenario: string,
    actionId: string,
    run: () => Promise<Delivery>,
    target?: RequestTarget,
    counterOf = container,
  ): Promise<Delivery> => {
    const hitsBefore = await fixtures.pollHits({ actionId });
    const delivery = await run();
    const hits = (await fixtures.pollHits({ actionId })) - hitsBefore;
    const row: RequestCountRow = {
      scenario,
      dynamo: delivery.dynamoRequests,
      codePipeline: delivery.codePipelineRequests,
      operations: [
        ...Object.entries(counterOf.dynamo.requests),
        ...Object.entries(counterOf.codePipeline.requests),
      ]
        .map(([op, n]) => (n > 1 ? `${op} ×${n}` : op))
        .join(', '),
      polls: hits,
      result: describe(delivery),
      ...(target ? { target, pass: meets(delivery, hits, target) } : {}),
    };
    rows.push(row);
    return delivery;
  };

  try {
    // Happy path: first job, one continuation, final job.
    const a = await newAction({ polls: 3 });
    await measured(
      'first invocation (no token)',
      a.actionId,
      () => deliver(container, a.event),
      HAPPY,
    );
    // Its committer's invocation is not over: the duplicate leaves it the report.
    await measured(
      'duplicate of a committed job (its committer may still be reporting)',
      a.actionId,
      () => deliver(container, a.event),
      { dynamo: 1, codePipeline: 1, polls: 0 },
    );
    await sleep(config.intervalSeconds * 1000);
    const a1 = await continuationOf(fixtures, a.jobId, a.userParameters);
    if (!a1) throw new Error('request counts: the first job reported no continuation');
    await measured('continuation', a.actionId, () => deliver(container, a1.event), HAPPY);
    await sleep(config.intervalSeconds * 1000);
    const a2 = await continuationOf(fixtures, a1.jobId, a.userParameters);
    if (!a2) throw new Error('request counts: the continuation reported no continuation');
    await measured(
      'final invocation (succeeds)',
      a.actionId,
      () => deliver(container, a2.event),
      HAPPY,
    );
    await measured(
      'stale job (older sequence, delivered again)',
      a.actionId,
      () => deliver(container, a1.event),
      { dynamo: 1, codePipeline: 0, polls: 0 },
    );

    // Every fourth continuation moves the history records pending in the run item to a
    // history item: one PutItem while the step runs, beside the claim and the commit.
    const f = await newAction({ polls: 6 });
    let job: { jobId: string; event: unknown } | undefined = f;
    for (let seq = 0; seq < 4 && job; seq++) {
      await deliver(container, job.event);
      await sleep(config.intervalSeconds * 1000);
      job = await continuationOf(fixtures, job.jobId, f.userParameters);
    }
    if (!job) throw new Error('request counts: the action ended before its fifth job');
    const fifth = job;
    await measured(
      'fifth job: moves 4 history records to a history item (PutItem beside the step)',
      f.actionId,
      () => deliver(container, fifth.event),
    );

    // A duplicate that arrives while the first delivery is still polling.
    const b = await newAction({ polls: 2, delayMs: 300 });
    const running = deliver(container, b.event);
    while ((await fixtures.pollHits({ actionId: b.actionId })) === 0) await sleep(5);
    await measured(
      'duplicate while the first delivery runs',
      b.actionId,
      () => deliver(other, b.event),
      { dynamo: 1, codePipeline: 0, polls: 0 },
      other,
    );
    await running;

    // The report fails until the invocation's deadline; Lambda retries the event.
    const c = await newAction({ polls: 2 });
    const requestId = randomUUID();
    await fixtures.failReports({ jobId: c.jobId, n: 1_000_000 });
    await measured('invocation whose report fails until its deadline (1.5 s)', c.actionId, () =>
      deliver(container, c.event, lambdaContext(1500, requestId)),
    );
    await fixtures.failReports({ jobId: c.jobId, n: 0 });
    await measured(
      "redelivery after the lost report (Lambda's retry)",
      c.actionId,
      () => deliver(container, c.event, lambdaContext(60_000, requestId)),
      { dynamo: 1, codePipeline: 1, polls: 0 },
    );

    // The report lands but its answer is lost: the reporter retries inside the invocation.
    const d = await newAction({ polls: 2 });
    await fixtures.loseResponses({ jobId: d.jobId, n: 1 });
    await measured('report whose answer is lost (retried in the invocation)', d.actionId, () =>
      deliver(container, d.event),
    );
  } finally {
    container.destroy();
    other.destroy();
  }
  return rows;
}

function describe(delivery: Delivery): string {
  if (delivery.error) return `threw ${delivery.error.name}`;
  const result = delivery.result as InvocationResult;
  return [result.kind, result.outcome?.kind, result.reportStatus && `(${result.reportStatus})`]
    .filter(Boolean)
    .join(' ');
}

function meets(delivery: Delivery, polls: number, target: RequestTarget): boolean {
  return (
    delivery.error === undefined &&
    (target.dynamo === undefined || delivery.dynamoRequests <= target.dynamo) &&
    (target.codePipeline === undefined || delivery.codePipelineRequests <= target.codePipeline) &&
    (target.polls === undefined || polls <= target.polls)
  );
}
