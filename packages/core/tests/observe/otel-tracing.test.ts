import * as otel from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { combineObservers } from '../../src/observe/combine-observers.js';
import { noopObserver } from '../../src/observe/run-observer.js';
import {
  globalTracerProviderRegistered,
  loadOpenTelemetryApi,
} from '../../src/observe/tracing/load-otel-api.js';
import { BatonSpanAttribute, otelTracing } from '../../src/observe/tracing/otel-tracing.js';
import { formatTraceParent, parseTraceParent } from '../../src/observe/tracing/trace-parent.js';

function setup() {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { exporter, tracerProvider, observer: otelTracing({ api: otel, tracerProvider }) };
}

describe('otelTracing', () => {
  it('makes a span per invocation and a child span per step, with run, job, step, attempt and result', async () => {
    const { exporter, observer } = setup();
    await observer.ready?.();
    const inv = observer.invocation({ jobName: 'deploy', jobId: 'job-1', requestId: 'req-1' });
    const traceParent = inv.traceParent();
    inv.run({ runId: 'run-1', sequence: 0, ...(traceParent ? { traceParent } : {}) });
    const step = inv.stepStarted({ step: 'start', attempt: 2 });
    const inner = await step.within(async () => otel.trace.getActiveSpan());
    step.ended({
      result: 'error',
      durationMs: 3,
      error: { name: 'TypeError', message: 'boom' },
      willRetry: true,
    });
    inv.ended({ kind: 'reported' });

    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['baton.step start', 'baton.invocation deploy']);
    const [stepSpan, invSpan] = spans;
    expect(invSpan?.attributes).toMatchObject({
      [BatonSpanAttribute.JobName]: 'deploy',
      [BatonSpanAttribute.JobId]: 'job-1',
      [BatonSpanAttribute.RunId]: 'run-1',
      [BatonSpanAttribute.Sequence]: 0,
      [BatonSpanAttribute.InvocationResult]: 'reported',
      [BatonSpanAttribute.FaasInvocationId]: 'req-1',
    });
    expect(invSpan?.links).toEqual([]); // the first invocation does not link to itself
    expect(traceParent).toBe(
      formatTraceParent(invSpan?.spanContext() ?? otel.INVALID_SPAN_CONTEXT),
    );
    expect(stepSpan?.parentSpanContext?.spanId).toBe(invSpan?.spanContext().spanId);
    expect(stepSpan?.attributes).toMatchObject({
      [BatonSpanAttribute.Step]: 'start',
      [BatonSpanAttribute.Attempt]: 2,
      [BatonSpanAttribute.StepResult]: 'error',
      [BatonSpanAttribute.StepWillRetry]: true,
    });
    expect(stepSpan?.status).toEqual({
      code: otel.SpanStatusCode.ERROR,
      message: 'TypeError: boom',
    });
    expect(stepSpan?.events.map((e) => [e.name, e.attributes])).toEqual([
      ['exception', { 'exception.type': 'TypeError', 'exception.message': 'boom' }],
    ]);
    // No context manager is registered here, so the active span stays unset;
    // with one (ADOT's layer registers it) the step's code runs under its span.
    expect(inner).toBeUndefined();
  });

  it("runs a step's code under the step's span when a context manager is registered", async () => {
    const { exporter, observer, tracerProvider } = setup();
    const manager = new AsyncLocalStorageContextManager().enable();
    otel.context.setGlobalContextManager(manager);
    try {
      const inv = observer.invocation({ jobName: 'deploy', jobId: 'job-1' });
      await inv.within(async () => {
        const step = inv.stepStarted({ step: 'call', attempt: 1 });
        await step.within(async () => {
          // What an instrumented HTTP or SDK call inside the step would do.
          tracerProvider.getTracer('user').startSpan('user call').end();
        });
        step.ended({ result: 'goTo', durationMs: 1 });
      });
      inv.ended({ kind: 'reported' });
    } finally {
      otel.context.disable();
    }
    const byName = new Map(exporter.getFinishedSpans().map((s) => [s.name, s]));
    expect(byName.get('user call')?.parentSpanContext?.spanId).toBe(
      byName.get('baton.step call')?.spanContext().spanId,
    );
    expect(byName.get('baton.step call')?.parentSpanContext?.spanId).toBe(
      byName.get('baton.invocation deploy')?.spanContext().spanId,
    );
  });

  it('links every later invocation of a run to its first trace', async () => {
    const { exporter, observer } = setup();
    const first = observer.invocation({ jobName: 'deploy', jobId: 'job-0' });
    const stored = first.traceParent();
    expect(stored).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    first.run({ runId: 'run-1', sequence: 0, ...(stored ? { traceParent: stored } : {}) });
    first.ended({ kind: 'reported' });
    for (let sequence = 1; sequence < 5; sequence++) {
      const inv = observer.invocation({ jobName: 'deploy', jobId: `job-${sequence}` });
      inv.run({ runId: 'run-1', sequence, ...(stored ? { traceParent: stored } : {}) });
      inv.ended({ kind: 'reported' });
    }
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(5);
    const firstContext = parseTraceParent(stored);
    const [head, ...later] = spans;
    expect(head?.spanContext().traceId).toBe(firstContext?.traceId);
    for (const span of later) {
      expect(span.spanContext().traceId).not.toBe(firstContext?.traceId);
      expect(span.links.map((l) => [l.context.traceId, l.context.spanId])).toEqual([
        [firstContext?.traceId, firstContext?.spanId],
      ]);
      expect(span.attributes[BatonSpanAttribute.RunTraceParent]).toBe(stored);
    }
  });

  it('marks an invocation that threw as failed, with the redacted error only', () => {
    const { exporter, observer } = setup();
    const inv = observer.invocation({ jobName: 'deploy', jobId: 'job-1' });
    inv.ended({ kind: 'threw', error: { name: 'ReportError', message: 'gave up' } });
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(otel.SpanStatusCode.ERROR);
    expect(span?.attributes[BatonSpanAttribute.InvocationResult]).toBe('threw');
    expect(span?.events[0]?.attributes).toEqual({
      'exception.type': 'ReportError',
      'exception.message': 'gave up',
    });
  });

  it('ignores a stored traceparent that is not one', () => {
    const { exporter, observer } = setup();
    const inv = observer.invocation({ jobName: 'deploy', jobId: 'job-1' });
    inv.run({ runId: 'run-1', sequence: 3, traceParent: '00-zz-bad' });
    inv.ended({ kind: 'reported' });
    expect(exporter.getFinishedSpans()[0]?.links).toEqual([]);
    expect(parseTraceParent(`00-${'0'.repeat(32)}-${'1'.repeat(16)}-01`)).toBeUndefined();
  });

  it('loads @opentelemetry/api only once a tracer provider is registered globally', async () => {
    const observer = otelTracing();
    await observer.ready?.();
    // No SDK registered a provider: nothing is loaded, nothing is traced.
    expect(globalTracerProviderRegistered()).toBe(false);
    expect(observer.invocation({ jobName: 'deploy', jobId: 'job-1' }).traceParent()).toBe(
      undefined,
    );
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    otel.trace.setGlobalTracerProvider(provider);
    try {
      expect(globalTracerProviderRegistered()).toBe(true);
      await observer.ready?.();
      const inv = observer.invocation({ jobName: 'deploy', jobId: 'job-2' });
      expect(inv.traceParent()).toMatch(/^00-/);
      inv.ended({ kind: 'reported' });
      expect(
        exporter.getFinishedSpans().map((s) => s.attributes[BatonSpanAttribute.JobId]),
      ).toEqual(['job-2']);
    } finally {
      otel.trace.disable();
    }
  });

  it('does nothing when @opentelemetry/api cannot be loaded', async () => {
    expect(await loadOpenTelemetryApi('@opentelemetry/not-a-package')).toBeUndefined();
    expect((await loadOpenTelemetryApi())?.trace).toBe(otel.trace);
  });

  it('combines observers: events go to each, trace context from the one that has it', async () => {
    const { exporter, observer } = setup();
    const combined = combineObservers(noopObserver, observer);
    await combined.ready?.();
    const inv = combined.invocation({ jobName: 'deploy', jobId: 'job-1' });
    expect(inv.traceParent()).toMatch(/^00-/);
    const step = inv.stepStarted({ step: 's', attempt: 1 });
    expect(await step.within(async () => 42)).toBe(42);
    step.ended({ result: 'succeed', durationMs: 1 });
    inv.ended({ kind: 'reported' });
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual([
      'baton.step s',
      'baton.invocation deploy',
    ]);
  });
});
