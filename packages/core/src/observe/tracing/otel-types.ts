/**
 * The part of `@opentelemetry/api` Baton uses, declared here so that
 * `@opentelemetry/api` stays an optional peer dependency: Baton's types and
 * code work without it, and the real module fits these shapes.
 */

/** Attribute values Baton sets. */
export type OtelAttributes = Record<string, string | number | boolean>;

/** `SpanContext` of `@opentelemetry/api`. */
export interface OtelSpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote?: boolean;
}

/** `Span` of `@opentelemetry/api` (`addLink` since 1.9). */
export interface OtelSpan {
  spanContext(): OtelSpanContext;
  setAttribute(key: string, value: string | number | boolean): unknown;
  addEvent(name: string, attributes?: OtelAttributes): unknown;
  addLink?(link: { context: OtelSpanContext; attributes?: OtelAttributes }): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/** `Tracer` of `@opentelemetry/api`. */
export interface OtelTracer {
  startSpan(name: string, options?: { attributes?: OtelAttributes }, context?: unknown): OtelSpan;
}

/** `TracerProvider` of `@opentelemetry/api` (an SDK's `BasicTracerProvider` fits). */
export interface OtelTracerProvider {
  getTracer(name: string, version?: string): OtelTracer;
}

/**
 * The `@opentelemetry/api` module (`import * as otel from '@opentelemetry/api'`).
 */
export interface OpenTelemetryApi {
  trace: {
    getTracer(name: string, version?: string): OtelTracer;
    setSpan(context: unknown, span: OtelSpan): unknown;
  };
  context: {
    active(): unknown;
    with<T>(context: unknown, fn: () => T): T;
  };
}

/** `SpanStatusCode.ERROR` of `@opentelemetry/api`. */
export const OTEL_STATUS_ERROR = 2;
