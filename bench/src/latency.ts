import type { BenchEnv } from './bench-env.js';
import { continuationOf, deliver, pollUserParameters, sleep } from './driver.js';
import { median, type Summary, summarize } from './stats.js';
import { createVariant, VARIANT_NAMES, type Variant, VariantName } from './variants.js';

/** The compared variants and Baton's previous commit, interleaved alike. */
const LATENCY_VARIANTS: readonly VariantName[] = [
  ...VARIANT_NAMES,
  VariantName.BatonTransactCommit,
  VariantName.BatonWithoutIndex,
];

/** Where an invocation's wall time went, medians over the measured invocations. */
export interface Breakdown {
  dynamoMs: number;
  codePipelineMs: number;
  pollMs: number;
  /** Wall time outside those requests: the handler's own code, framework and SDK work. */
  otherMs: number;
}

export interface VariantLatency {
  name: VariantName;
  invocations: number;
  wall: Summary;
  cpu: Summary;
  /** Mean requests per invocation. */
  dynamoPerInvocation: number;
  codePipelinePerInvocation: number;
  /** Mean wall ms per request, by operation (`UpdateItem`, `PutJobSuccessResult`, …). */
  operationMs: Record<string, number>;
  breakdown: Breakdown;
  actionsCompleted: number;
  /** Deliveries that threw, or actions that did not end with one success after the expected polls. */
  anomalies: number;
}

export interface LatencyResult {
  rounds: number;
  warmupRounds: number;
  pollsPerAction: number;
  variants: Partial<Record<VariantName, VariantLatency>>;
}

interface ActionState {
  actionId: string;
  userParameters: string;
  jobId: string;
  event: unknown;
  notBefore: number;
}

/**
 * The same polling action written three ways, invoked round-robin (the order
 * rotates every round) so that the machine's noise falls on all three alike.
 * Each action polls `pollsPerAction` times through continuations. Baton with
 * its previous commit (`TransactWriteItems`) runs in the same rotation.
 */
export async function measureLatency(env: BenchEnv): Promise<LatencyResult> {
  const { config, fixtures } = env;
  const variants = Object.fromEntries(
    LATENCY_VARIANTS.map((name) => [name, createVariant(name, env)]),
  ) as Record<VariantName, Variant>;
  const samples = Object.fromEntries(
    LATENCY_VARIANTS.map((name) => [name, emptySamples()]),
  ) as Record<VariantName, ReturnType<typeof emptySamples>>;
  const current = new Map<VariantName, ActionState>();
  let actions = 0;

  const startAction = async (name: VariantName): Promise<ActionState> => {
    const actionId = `latency-${name}-${++actions}`;
    const userParameters = pollUserParameters(fixtures.statusEndpoint, actionId, {
      polls: config.pollsPerAction,
      intervalSeconds: config.intervalSeconds,
    });
    const job = await fixtures.createJob({ userParameters });
    return { actionId, userParameters, jobId: job.jobId, event: job.event, notBefore: 0 };
  };

  try {
    const total = config.warmupRounds + config.latencyRounds;
    for (let round = 0; round < total; round++) {
      const shift = round % LATENCY_VARIANTS.length;
      const order = [...LATENCY_VARIANTS.slice(shift), ...LATENCY_VARIANTS.slice(0, shift)];
      for (const name of order) {
        const state = current.get(name) ?? (await startAction(name));
        current.set(name, state);
        // CodePipeline's pause before a continuation job; never inside the timing.
        const wait = state.notBefore - performance.now();
        if (wait > 0) await sleep(wait);
        const variant = variants[name];
        const d = await deliver(variant, state.event);
        const s = samples[name];
        if (round >= config.warmupRounds) {
          s.wall.push(d.wallMs);
          s.cpu.push(d.cpuMs);
          s.dynamo.push(d.dynamoRequests);
          s.codePipeline.push(d.codePipelineRequests);
          s.dynamoMs.push(d.dynamoMs);
          s.codePipelineMs.push(d.codePipelineMs);
          s.pollMs.push(d.pollMs);
          s.otherMs.push(d.wallMs - d.dynamoMs - d.codePipelineMs - d.pollMs);
          for (const counter of [variant.dynamo, variant.codePipeline]) {
            for (const [op, count] of Object.entries(counter.requests)) {
              const o = s.operations[op] ?? { count: 0, ms: 0 };
              o.count += count;
              o.ms += counter.elapsedMs[op] ?? 0;
              s.operations[op] = o;
            }
          }
        }
        if (d.error) {
          s.anomalies += 1;
          current.delete(name);
          continue;
        }
        const next = await continuationOf(fixtures, state.jobId, state.userParameters);
        if (next) {
          Object.assign(state, next, {
            notBefore: performance.now() + config.intervalSeconds * 1000,
          });
          continue;
        }
        // The action is over: it must have succeeded after exactly the expected polls.
        const result = await fixtures.result({ jobId: state.jobId });
        const hits = await fixtures.pollHits({ actionId: state.actionId });
        if (result?.kind === 'success' && hits === config.pollsPerAction) s.completed += 1;
        else s.anomalies += 1;
        current.delete(name);
      }
    }
  } finally {
    for (const variant of Object.values(variants)) variant.destroy();
  }

  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / (values.length || 1);
  const result: Partial<Record<VariantName, VariantLatency>> = {};
  for (const name of LATENCY_VARIANTS) {
    const s = samples[name];
    result[name] = {
      name,
      invocations: s.wall.length,
      wall: summarize(s.wall),
      cpu: summarize(s.cpu),
      dynamoPerInvocation: mean(s.dynamo),
      codePipelinePerInvocation: mean(s.codePipeline),
      operationMs: Object.fromEntries(
        Object.entries(s.operations).map(([op, o]) => [op, o.ms / o.count]),
      ),
      breakdown: {
        dynamoMs: median(s.dynamoMs),
        codePipelineMs: median(s.codePipelineMs),
        pollMs: median(s.pollMs),
        otherMs: median(s.otherMs),
      },
      actionsCompleted: s.completed,
      anomalies: s.anomalies,
    };
  }
  return {
    rounds: config.latencyRounds,
    warmupRounds: config.warmupRounds,
    pollsPerAction: config.pollsPerAction,
    variants: result,
  };
}

function emptySamples() {
  return {
    wall: [] as number[],
    cpu: [] as number[],
    dynamo: [] as number[],
    codePipeline: [] as number[],
    dynamoMs: [] as number[],
    codePipelineMs: [] as number[],
    pollMs: [] as number[],
    otherMs: [] as number[],
    operations: {} as Record<string, { count: number; ms: number }>,
    completed: 0,
    anomalies: 0,
  };
}
