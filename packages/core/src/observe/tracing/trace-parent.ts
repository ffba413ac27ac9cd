import type { OtelSpanContext } from './otel-types.js';

// W3C Trace Context, version 00: `00-<trace id>-<parent id>-<flags>`.
const TRACE_PARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/**
 * The W3C `traceparent` of a span context, or `undefined` when the context is
 * invalid (an unrecorded span of a no-op tracer).
 *
 * @example
 * ```ts
 * formatTraceParent(span.spanContext()); // '00-4bf9…-00f0…-01'
 * ```
 */
export function formatTraceParent(context: OtelSpanContext): string | undefined {
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, '0');
  const text = `00-${context.traceId}-${context.spanId}-${flags}`;
  return parseTraceParent(text) === undefined ? undefined : text;
}

/**
 * The remote span context a stored `traceparent` names, or `undefined` when it
 * is not a valid one (never throws: a bad value only loses the link).
 *
 * @example
 * ```ts
 * span.addLink({ context: parseTraceParent(run.traceParent) });
 * ```
 */
export function parseTraceParent(text: string | undefined): OtelSpanContext | undefined {
  const match = text === undefined ? null : TRACE_PARENT.exec(text);
  if (!match) return undefined;
  const [, traceId = '', spanId = '', flags = '00'] = match;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, traceFlags: Number.parseInt(flags, 16), isRemote: true };
}
