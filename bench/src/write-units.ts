import { randomUUID } from 'node:crypto';
import { batonPollJobWithState } from './actions/baton-poll-job.js';
import type { BenchEnv } from './bench-env.js';
import { CapacityMeter } from './capacity-meter.js';
import { continuationOf, deliver, pollUserParameters, sleep } from './driver.js';
import { createVariant, VariantName } from './variants.js';

/** State sizes measured: a small state and a large one (bytes of JSON). */
export const STATE_SIZES = [1024, 64 * 1024] as const;

/**
 * Seconds each poll waits: long enough that a wait is never over before its
 * step returns (the engine would then poll again in the same invocation), so
 * every action takes the same invocations.
 */
const WAIT_SECONDS = 0.1;

/** Store designs whose write units are measured with each state size. */
const STATE_VARIANTS: readonly VariantName[] = [VariantName.Baton, VariantName.BatonTransactCommit];

/** Write units of one action, per invocation. */
export interface WriteUnitRow {
  variant: VariantName;
  /** Bytes of JSON state; absent for Powertools, whose state travels in the token. */
  stateBytes?: number;
  invocations: number;
  /** Mean write units per invocation over the action's invocations. */
  perInvocation: number;
  /** Write units of the first invocation (it creates the run), the continuations' mean, the last's. */
  first: number;
  continuation: number;
  final: number;
  /** Mean write units per invocation, by operation. */
  byOperation: Record<string, number>;
  /** Invocations that threw or an action that did not succeed after its polls. */
  anomalies: number;
}

/**
 * Write units per happy invocation, measured: each design runs one polling
 * action (`pollsPerAction` invocations: the first job, continuations, the
 * final job) with a state of each size, its DynamoDB client asking for
 * `ReturnConsumedCapacity: TOTAL` on every write. Powertools runs the same
 * action once as a reference: its record holds the handler's result, and the
 * state travels in the continuation token, so state size does not apply.
 */
export async function measureWriteUnits(env: BenchEnv): Promise<WriteUnitRow[]> {
  const rows: WriteUnitRow[] = [];
  for (const stateBytes of STATE_SIZES) {
    for (const variant of STATE_VARIANTS) {
      rows.push(await measureAction(env, variant, stateBytes));
    }
  }
  rows.push(await measureAction(env, VariantName.Powertools, undefined));
  return rows;
}

async function measureAction(
  env: BenchEnv,
  name: VariantName,
  stateBytes: number | undefined,
): Promise<WriteUnitRow> {
  const { config, fixtures } = env;
  const capacity = new CapacityMeter();
  const variant = createVariant(name, env, {
    capacity,
    ...(stateBytes === undefined ? {} : { job: batonPollJobWithState(stateBytes) }),
  });
  const actionId = `units-${name}-${stateBytes ?? 0}-${randomUUID().slice(0, 8)}`;
  const userParameters = pollUserParameters(fixtures.statusEndpoint, actionId, {
    polls: config.pollsPerAction,
    intervalSeconds: WAIT_SECONDS,
  });
  const units: number[] = [];
  const byOperation: Record<string, number> = {};
  let anomalies = 0;
  try {
    let job: { jobId: string; event: unknown } | undefined = await fixtures.createJob({
      userParameters,
    });
    let lastJobId = job.jobId;
    while (job) {
      capacity.reset();
      const delivery = await deliver(variant, job.event);
      if (delivery.error) {
        anomalies += 1;
      }
      units.push(capacity.totalWriteUnits);
      for (const [op, u] of Object.entries(capacity.writeUnits)) {
        byOperation[op] = (byOperation[op] ?? 0) + u;
      }
      lastJobId = job.jobId;
      job = await continuationOf(fixtures, job.jobId, userParameters);
      if (job) await sleep(WAIT_SECONDS * 1000);
    }
    const result = await fixtures.result({ jobId: lastJobId });
    if (result?.kind !== 'success' || units.length !== config.pollsPerAction) anomalies += 1;
  } finally {
    variant.destroy();
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / (values.length || 1);
  const middle = units.slice(1, -1);
  return {
    variant: name,
    ...(stateBytes === undefined ? {} : { stateBytes }),
    invocations: units.length,
    perInvocation: mean(units),
    first: units[0] ?? Number.NaN,
    continuation: middle.length > 0 ? mean(middle) : Number.NaN,
    final: units.at(-1) ?? Number.NaN,
    byOperation: Object.fromEntries(
      Object.entries(byOperation).map(([op, u]) => [op, u / (units.length || 1)]),
    ),
    anomalies,
  };
}
