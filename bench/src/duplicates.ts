import { randomUUID } from 'node:crypto';
import type { BenchEnv } from './bench-env.js';
import { type Delivery, deliver, pollUserParameters } from './driver.js';
import { lambdaContext } from './lambda-context.js';
import { createVariant, VARIANT_NAMES, type Variant, type VariantName } from './variants.js';

/** Lambda retries an async invocation that threw at most twice. */
const LAMBDA_RETRIES = 2;

export const DuplicateScenario = {
  /** The same event delivered again after the first delivery finished. */
  After: 'after',
  /** The same event delivered twice at once (two containers). */
  Concurrent: 'concurrent',
  /** The first delivery's report fails until its deadline; Lambda retries. */
  FailedReport: 'failed-report',
} as const;
export type DuplicateScenario = (typeof DuplicateScenario)[keyof typeof DuplicateScenario];

export const DUPLICATE_SCENARIO_LABELS: Record<DuplicateScenario, string> = {
  after: 'duplicate delivered after the first finished (counts for the duplicate only)',
  concurrent: 'two deliveries at once (counts for the whole event)',
  'failed-report': 'report fails (503) until the deadline, then Lambda retries (whole event)',
};

/** Means per event, over the repeats; Lambda's retries of deliveries that threw included. */
export interface DuplicateRow {
  variant: VariantName;
  scenario: DuplicateScenario;
  events: number;
  deliveries: number;
  pollHits: number;
  reportsAccepted: number;
  reportsRejected: number;
  threw: number;
  dynamoRequests: number;
  codePipelineRequests: number;
}

interface Tally {
  deliveries: number;
  threw: number;
  dynamo: number;
  codePipeline: number;
}

/**
 * What each variant does when an event comes more than once: counted on the
 * servers (status endpoint hits, reports accepted and rejected by the
 * CodePipeline emulator) and on the clients (requests). A delivery that throws
 * is retried the way Lambda does, with the same request id, once the first
 * deliveries have ended.
 */
export async function measureDuplicates(env: BenchEnv): Promise<DuplicateRow[]> {
  const { fixtures, config } = env;
  const rows: DuplicateRow[] = [];
  for (const name of VARIANT_NAMES) {
    const first = createVariant(name, env);
    const second = createVariant(name, env);
    try {
      for (const scenario of Object.values(DuplicateScenario)) {
        const repeats =
          scenario === 'failed-report'
            ? Math.min(5, config.duplicateRepeats)
            : config.duplicateRepeats;
        const sums = { deliveries: 0, threw: 0, dynamo: 0, codePipeline: 0, hits: 0, ok: 0, no: 0 };
        for (let i = 0; i < repeats; i++) {
          const actionId = `dup-${name}-${scenario}-${i}-${randomUUID().slice(0, 8)}`;
          const userParameters = pollUserParameters(fixtures.statusEndpoint, actionId, {
            polls: 2,
            intervalSeconds: config.intervalSeconds,
            // Long enough for two concurrent deliveries to overlap.
            ...(scenario === 'concurrent' ? { delayMs: 100 } : {}),
          });
          const job = await fixtures.createJob({ userParameters });
          const tally: Tally = { deliveries: 0, threw: 0, dynamo: 0, codePipeline: 0 };
          let hitsBefore = 0;
          let reportsBefore = { accepted: 0, rejected: 0 };
          const deliveries: Array<{ container: Variant; timeoutMs: number }> = [];
          switch (scenario) {
            case 'after': {
              await deliverOnce(first, job.event, tally, 60_000, randomUUID());
              hitsBefore = await fixtures.pollHits({ actionId });
              reportsBefore = await fixtures.reports({ jobId: job.jobId });
              Object.assign(tally, { deliveries: 0, threw: 0, dynamo: 0, codePipeline: 0 });
              deliveries.push({ container: first, timeoutMs: 60_000 });
              break;
            }
            case 'concurrent':
              deliveries.push(
                { container: first, timeoutMs: 60_000 },
                { container: second, timeoutMs: 60_000 },
              );
              break;
            case 'failed-report':
              await fixtures.failReports({ jobId: job.jobId, n: 1_000_000 });
              deliveries.push({ container: first, timeoutMs: 1500 });
              break;
          }
          const requestIds = deliveries.map(() => randomUUID());
          const succeeded = await Promise.all(
            deliveries.map((d, k) =>
              deliverOnce(d.container, job.event, tally, d.timeoutMs, requestIds[k] as string),
            ),
          );
          // Lambda retries a delivery that threw about 1 and 2 minutes later: by
          // then the deliveries above have ended, and the outage is over.
          await fixtures.failReports({ jobId: job.jobId, n: 0 });
          for (const [k, ok] of succeeded.entries()) {
            for (let retry = 1; !ok && retry <= LAMBDA_RETRIES; retry++) {
              const container = deliveries[k]?.container as Variant;
              if (await deliverOnce(container, job.event, tally, 60_000, requestIds[k] as string)) {
                break;
              }
            }
          }
          const reports = await fixtures.reports({ jobId: job.jobId });
          sums.deliveries += tally.deliveries;
          sums.threw += tally.threw;
          sums.dynamo += tally.dynamo;
          sums.codePipeline += tally.codePipeline;
          sums.hits += (await fixtures.pollHits({ actionId })) - hitsBefore;
          sums.ok += reports.accepted - reportsBefore.accepted;
          sums.no += reports.rejected - reportsBefore.rejected;
        }
        rows.push({
          variant: name,
          scenario,
          events: repeats,
          deliveries: sums.deliveries / repeats,
          pollHits: sums.hits / repeats,
          reportsAccepted: sums.ok / repeats,
          reportsRejected: sums.no / repeats,
          threw: sums.threw / repeats,
          dynamoRequests: sums.dynamo / repeats,
          codePipelineRequests: sums.codePipeline / repeats,
        });
      }
    } finally {
      first.destroy();
      second.destroy();
    }
  }
  return rows;
}

/**
 * One delivery, tallied; false when the handler threw (Lambda would retry it
 * with the same request id). Deliveries through one container must not overlap.
 */
async function deliverOnce(
  container: Variant,
  event: unknown,
  tally: Tally,
  timeoutMs: number,
  requestId: string,
): Promise<boolean> {
  const d: Delivery = await deliver(container, event, lambdaContext(timeoutMs, requestId));
  tally.deliveries += 1;
  tally.dynamo += d.dynamoRequests;
  tally.codePipeline += d.codePipelineRequests;
  if (d.error) tally.threw += 1;
  return d.error === undefined;
}
