import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type CodePipelineLambdaHandler, createJsonLogger, createLambdaHandler } from '@baton/core';
import * as otel from '@opentelemetry/api';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { batonPollJob } from './actions/baton-poll-job.js';
import { type BenchEnv, clientSettings } from './bench-env.js';
import { continuationOf, deliver, pollUserParameters, sleep } from './driver.js';
import { measureObserverCost, type ObserverCost } from './observer-cost.js';
import { RequestCounter } from './request-counter.js';
import { type Summary, summarize } from './stats.js';
import type { Variant } from './variants.js';

/** Baton with metrics and tracing switched on and off. */
export const ObservabilityVariant = {
  Off: 'off',
  Metrics: 'metrics',
  Tracing: 'tracing',
  Both: 'both',
} as const;
export type ObservabilityVariant = (typeof ObservabilityVariant)[keyof typeof ObservabilityVariant];

export const OBSERVABILITY_LABELS: Record<ObservabilityVariant, string> = {
  off: 'metrics off, tracing off',
  metrics: 'EMF metrics on',
  tracing: 'OpenTelemetry tracing on',
  both: 'metrics and tracing on',
};

export interface ObservabilityRow {
  variant: ObservabilityVariant;
  invocations: number;
  wall: Summary;
  cpu: Summary;
  /** EMF lines written per invocation. */
  emfLinesPerInvocation: number;
  /** Spans ended per invocation. */
  spansPerInvocation: number;
  anomalies: number;
}

export interface ObservabilityResult {
  rounds: number;
  rows: ObservabilityRow[];
  /** CPU µs per invocation of the observers alone (bench/src/observer-cost.ts). */
  observerCost: ObserverCost;
  observerCostIterations: number;
}

const VARIANTS = Object.values(ObservabilityVariant);

/** A span exporter that drops spans: the cost measured is Baton's and the SDK's, not a backend's. */
class DroppingExporter implements SpanExporter {
  public spans = 0;
  export(spans: ReadableSpan[], done: (result: { code: 0 }) => void): void {
    this.spans += spans.length;
    done({ code: 0 });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

interface Container extends Variant {
  emfLines: () => number;
  flushSpans: () => Promise<number>;
}

function createContainer(variant: ObservabilityVariant, env: BenchEnv): Container {
  const dynamo = new RequestCounter();
  const codePipeline = new RequestCounter();
  const dynamoDBClient = new DynamoDBClient(clientSettings(env.ddb.endpoint));
  const codePipelineClient = new CodePipelineClient({
    ...clientSettings(env.fixtures.codePipelineEndpoint),
    maxAttempts: 1,
  });
  dynamo.attach(dynamoDBClient);
  codePipeline.attach(codePipelineClient);
  // Lines are formatted as in Lambda, then dropped, as the logs are.
  let emfLines = 0;
  const exporter = new DroppingExporter();
  // As ADOT's layer does: a batch processor, spans exported off the invocation's path.
  const processor = new BatchSpanProcessor(exporter);
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [processor] });
  const metricsOn = variant === 'metrics' || variant === 'both';
  const tracingOn = variant === 'tracing' || variant === 'both';
  const handler: CodePipelineLambdaHandler = createLambdaHandler(batonPollJob, {
    tableName: env.batonTable,
    dynamoDBClient,
    codePipelineClient,
    logger: createJsonLogger({ write: () => {} }),
    metrics: metricsOn
      ? {
          write: () => {
            emfLines += 1;
          },
        }
      : false,
    tracing: tracingOn ? { api: otel, tracerProvider } : false,
  });
  return {
    name: 'baton',
    invoke: handler,
    dynamo,
    codePipeline,
    emfLines: () => emfLines,
    flushSpans: async () => {
      await processor.forceFlush();
      return exporter.spans;
    },
    destroy: () => {
      void tracerProvider.shutdown();
      dynamoDBClient.destroy();
      codePipelineClient.destroy();
    },
  };
}

/**
 * The overhead of metrics and tracing per invocation: the polling action of
 * the latency section, in four Baton containers (both off, metrics on,
 * tracing on, both on), invoked round-robin with the order rotating each
 * round so the machine's noise falls on all four alike.
 */
export async function measureObservability(env: BenchEnv): Promise<ObservabilityResult> {
  const { config, fixtures } = env;
  const containers = Object.fromEntries(
    VARIANTS.map((v) => [v, createContainer(v, env)]),
  ) as Record<ObservabilityVariant, Container>;
  const samples = Object.fromEntries(
    VARIANTS.map((v) => [v, { wall: [] as number[], cpu: [] as number[], anomalies: 0 }]),
  ) as Record<ObservabilityVariant, { wall: number[]; cpu: number[]; anomalies: number }>;
  const current = new Map<
    ObservabilityVariant,
    { jobId: string; event: unknown; userParameters: string; notBefore: number }
  >();
  let actions = 0;
  const baseline = {
    emf: new Map<ObservabilityVariant, number>(),
    spans: new Map<ObservabilityVariant, number>(),
  };
  try {
    const total = config.warmupRounds + config.observabilityRounds;
    for (let round = 0; round < total; round++) {
      if (round === config.warmupRounds) {
        for (const v of VARIANTS) {
          baseline.emf.set(v, containers[v].emfLines());
          baseline.spans.set(v, await containers[v].flushSpans());
        }
      }
      const shift = round % VARIANTS.length;
      const order = [...VARIANTS.slice(shift), ...VARIANTS.slice(0, shift)];
      for (const v of order) {
        let state = current.get(v);
        if (!state) {
          const actionId = `observability-${v}-${++actions}`;
          const userParameters = pollUserParameters(fixtures.statusEndpoint, actionId, {
            polls: config.pollsPerAction,
            intervalSeconds: config.intervalSeconds,
          });
          const job = await fixtures.createJob({ userParameters });
          state = { jobId: job.jobId, event: job.event, userParameters, notBefore: 0 };
          current.set(v, state);
        }
        const wait = state.notBefore - performance.now();
        if (wait > 0) await sleep(wait);
        const d = await deliver(containers[v], state.event);
        if (round >= config.warmupRounds) {
          samples[v].wall.push(d.wallMs);
          samples[v].cpu.push(d.cpuMs);
          if (d.error) samples[v].anomalies += 1;
        }
        const next = d.error
          ? undefined
          : await continuationOf(fixtures, state.jobId, state.userParameters);
        if (next)
          Object.assign(state, next, {
            notBefore: performance.now() + config.intervalSeconds * 1000,
          });
        else current.delete(v);
      }
    }
    const rows: ObservabilityRow[] = [];
    for (const v of VARIANTS) {
      const s = samples[v];
      const n = s.wall.length || 1;
      rows.push({
        variant: v,
        invocations: s.wall.length,
        wall: summarize(s.wall),
        cpu: summarize(s.cpu),
        emfLinesPerInvocation: (containers[v].emfLines() - (baseline.emf.get(v) ?? 0)) / n,
        spansPerInvocation: ((await containers[v].flushSpans()) - (baseline.spans.get(v) ?? 0)) / n,
        anomalies: s.anomalies,
      });
    }
    const observerCostIterations = config.quick ? 2_000 : 20_000;
    const observerCost = await measureObserverCost(observerCostIterations);
    return { rounds: config.observabilityRounds, rows, observerCost, observerCostIterations };
  } finally {
    for (const c of Object.values(containers)) c.destroy();
  }
}
