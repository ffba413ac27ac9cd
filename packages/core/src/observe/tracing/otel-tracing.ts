import type {
  InvocationObservation,
  InvocationStart,
  ObservedError,
  RunObserver,
  StepObservation,
} from '../run-observer.js';
import { noopObserver } from '../run-observer.js';
import { globalTracerProviderRegistered, loadOpenTelemetryApi } from './load-otel-api.js';
import {
  type OpenTelemetryApi,
  OTEL_STATUS_ERROR,
  type OtelSpan,
  type OtelTracer,
  type OtelTracerProvider,
} from './otel-types.js';
import { formatTraceParent, parseTraceParent } from './trace-parent.js';

/** Span attribute names Baton sets. */
export const BatonSpanAttribute = {
  JobName: 'baton.job.name',
  /** CodePipeline job id. */
  JobId: 'baton.job.id',
  RunId: 'baton.run.id',
  Sequence: 'baton.run.sequence',
  /** `traceparent` of the run's first invocation (also a span link where the API has links). */
  RunTraceParent: 'baton.run.trace_parent',
  /** How the invocation ended (`InvocationResultKind`, or `threw`). */
  InvocationResult: 'baton.invocation.result',
  /** `succeeded`, `failed` or `abandoned` when the run ended in this invocation. */
  RunEnd: 'baton.run.end',
  HandedOnWithoutStep: 'baton.handed_on_without_step',
  Step: 'baton.step',
  Attempt: 'baton.step.attempt',
  /** The transition returned (`goTo`, `wait`, `succeed`, `fail`) or `error`. */
  StepResult: 'baton.step.result',
  StepWillRetry: 'baton.step.will_retry',
  /** Lambda request id (OpenTelemetry's FaaS convention). */
  FaasInvocationId: 'faas.invocation_id',
} as const;

/** Options of {@link otelTracing}. */
export interface OtelTracingOptions {
  /**
   * The `@opentelemetry/api` module. Pass it when the code is bundled (the
   * bundle then holds it). Without it, Baton loads `@opentelemetry/api` from
   * `node_modules` at the first invocation that finds a tracer provider
   * registered globally (or `tracerProvider` given), and traces nothing when
   * there is none or the module is absent.
   * @default loaded lazily, as above
   */
  api?: OpenTelemetryApi;
  /**
   * Where spans go.
   * @default the provider registered globally with the API (ADOT's Lambda layer registers one)
   */
  tracerProvider?: OtelTracerProvider;
}

const TRACER_NAME = '@baton/core';

/**
 * OpenTelemetry tracing: a span per invocation (`baton.invocation <job>`) and
 * per step call (`baton.step <step>`) with run id, job id, step, attempt and
 * result as attributes. The run's first invocation's `traceparent` is stored
 * with the run, and every later invocation's span links to it, so a run reads
 * as one story across its invocations.
 *
 * @example
 * ```ts
 * import * as otel from '@opentelemetry/api';
 * export const handler = createLambdaHandler(job, { tracing: otelTracing({ api: otel }) });
 * ```
 */
export function otelTracing(options: OtelTracingOptions = {}): RunObserver {
  let api = options.api;
  let tracer: OtelTracer | undefined;
  let loading: Promise<void> | undefined;
  const init = (loaded: OpenTelemetryApi | undefined) => {
    api = loaded;
    tracer = loaded && (options.tracerProvider ?? loaded.trace).getTracer(TRACER_NAME);
  };
  if (api) init(api);
  return {
    ready: () => {
      if (loading) return loading;
      if (tracer) loading = Promise.resolve();
      // Nothing to trace into until an SDK registers a provider: check again next time.
      else if (options.tracerProvider || globalTracerProviderRegistered()) {
        loading = loadOpenTelemetryApi().then(init);
      } else return Promise.resolve();
      return loading;
    },
    invocation: (start) =>
      api && tracer ? tracedInvocation(api, tracer, start) : noopObserver.invocation(start),
  };
}

function tracedInvocation(
  api: OpenTelemetryApi,
  tracer: OtelTracer,
  start: InvocationStart,
): InvocationObservation {
  // Called through their objects: the API's methods use `this`.
  const setSpan = (context: unknown, s: OtelSpan) => api.trace.setSpan(context, s);
  const span = tracer.startSpan(
    `baton.invocation ${start.jobName}`,
    {
      attributes: {
        [BatonSpanAttribute.JobName]: start.jobName,
        [BatonSpanAttribute.JobId]: start.jobId,
        ...(start.requestId ? { [BatonSpanAttribute.FaasInvocationId]: start.requestId } : {}),
      },
    },
    api.context.active(),
  );
  const spanContext = setSpan(api.context.active(), span);
  const own = span.spanContext();
  let ended = false;
  return {
    within: (fn) => api.context.with(spanContext, fn),
    traceParent: () => formatTraceParent(own),
    run: (run) => {
      span.setAttribute(BatonSpanAttribute.RunId, run.runId);
      span.setAttribute(BatonSpanAttribute.Sequence, run.sequence);
      const first = parseTraceParent(run.traceParent);
      if (!first || run.traceParent === undefined) return;
      span.setAttribute(BatonSpanAttribute.RunTraceParent, run.traceParent);
      if (first.spanId !== own.spanId) {
        span.addLink?.({ context: first, attributes: { 'baton.link': 'run-first-invocation' } });
      }
    },
    runStarted: () => span.addEvent('baton.run.started'),
    stepStarted: ({ step, attempt }): StepObservation => {
      const stepSpan = tracer.startSpan(
        `baton.step ${step}`,
        {
          attributes: {
            [BatonSpanAttribute.JobName]: start.jobName,
            [BatonSpanAttribute.JobId]: start.jobId,
            [BatonSpanAttribute.Step]: step,
            [BatonSpanAttribute.Attempt]: attempt,
          },
        },
        spanContext,
      );
      const stepContext = setSpan(spanContext, stepSpan);
      return {
        within: (fn) => api.context.with(stepContext, fn),
        ended: (end) => {
          stepSpan.setAttribute(BatonSpanAttribute.StepResult, end.result);
          if (end.result === 'error') {
            stepSpan.setAttribute(BatonSpanAttribute.StepWillRetry, end.willRetry === true);
            markError(stepSpan, end.error);
          }
          stepSpan.end();
        },
      };
    },
    handedOnWithoutStep: () => span.setAttribute(BatonSpanAttribute.HandedOnWithoutStep, true),
    runEnded: ({ status }) => span.setAttribute(BatonSpanAttribute.RunEnd, status),
    crashCounted: () => span.addEvent('baton.crash_counted'),
    reportRetried: () => span.addEvent('baton.report.retry'),
    request: () => {},
    ended: (end) => {
      if (ended) return;
      ended = true;
      span.setAttribute(BatonSpanAttribute.InvocationResult, end.kind);
      if (end.kind === 'threw') markError(span, end.error);
      span.end();
    },
  };
}

/**
 * Marks a span failed with an `exception` event. Built from the redacted name
 * and message, not `recordException`, whose stack could carry secrets.
 */
function markError(span: OtelSpan, error: ObservedError | undefined): void {
  const text = error ? `${error.name}: ${error.message}` : 'error';
  span.addEvent('exception', {
    'exception.type': error?.name ?? 'Error',
    'exception.message': error?.message ?? 'error',
  });
  span.setStatus({ code: OTEL_STATUS_ERROR, message: text });
}
