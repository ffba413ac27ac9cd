import {
  combineObservers,
  emfMetrics,
  noopObserver,
  otelTracing,
  type RunObserver,
} from '@baton/core';
import * as otel from '@opentelemetry/api';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import type { ObservabilityVariant } from './observability.js';

const dropAll: SpanExporter = {
  export: (_spans: ReadableSpan[], done) => done({ code: 0 }),
  shutdown: () => Promise.resolve(),
};

/** Microseconds of CPU one invocation's observer calls cost, by variant. */
export type ObserverCost = Record<ObservabilityVariant, number>;

/**
 * The observers alone, without I/O: a typical invocation's events (claim,
 * two steps, commit, report) played `iterations` times per variant, the
 * variants interleaved in blocks. Precise where the end-to-end comparison is
 * drowned in the machine's noise.
 */
export async function measureObserverCost(iterations: number): Promise<ObserverCost> {
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropAll)] });
  const metrics = () => emfMetrics({ write: () => {}, serviceName: 'bench' });
  const tracing = () => otelTracing({ api: otel, tracerProvider: provider });
  const observers: Record<ObservabilityVariant, RunObserver> = {
    off: noopObserver,
    metrics: metrics(),
    tracing: tracing(),
    both: combineObservers(metrics(), tracing()),
  };
  const totals: ObserverCost = { off: 0, metrics: 0, tracing: 0, both: 0 };
  const block = 500;
  for (let done = 0; done < iterations; done += block) {
    for (const [name, observer] of Object.entries(observers) as [
      ObservabilityVariant,
      RunObserver,
    ][]) {
      await observer.ready?.();
      const cpu = process.cpuUsage();
      for (let i = 0; i < block; i++) playInvocation(observer, done + i);
      const used = process.cpuUsage(cpu);
      totals[name] += used.user + used.system;
    }
  }
  await provider.shutdown();
  const perInvocation = (us: number) => us / iterations;
  return {
    off: perInvocation(totals.off),
    metrics: perInvocation(totals.metrics),
    tracing: perInvocation(totals.tracing),
    both: perInvocation(totals.both),
  };
}

function playInvocation(observer: RunObserver, i: number): void {
  const inv = observer.invocation({ jobName: 'poll', jobId: `job-${i}`, requestId: `req-${i}` });
  const traceParent = inv.traceParent();
  inv.request('dynamodb', 'claim', 4.2);
  inv.run({ runId: 'run-1', sequence: i, ...(traceParent ? { traceParent } : {}) });
  for (const step of ['check', 'poll']) {
    const s = inv.stepStarted({ step, attempt: 1 });
    s.ended({ result: 'wait', durationMs: 1.1 });
  }
  inv.request('dynamodb', 'commit', 9.7);
  inv.request('codepipeline', 'report', 2.6);
  inv.ended({ kind: 'reported' });
}
