/**
 * One run, one story: the spans of a run of five CodePipeline jobs (and a
 * duplicate delivery) in the OpenTelemetry SDK's in-memory exporter. The
 * handler runs in this process so the test owns the tracer provider.
 */
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { BatonSpanAttribute, createLambdaHandler, type InvocationResult } from '@baton/core';
import { type CodePipelineEmulator, startCodePipelineEmulator } from '@baton/testing';
import * as otel from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { job } from '../fixtures/polling-job.js';
import { createTestbed, dynamoDB, eventsOf, runIdOf } from '../support/baton-action.js';

let emulator: CodePipelineEmulator;

beforeAll(async () => {
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 });
});

afterAll(async () => {
  await emulator.stop();
});

it('links every invocation of a five-job run to the trace of its first invocation', async () => {
  const testbed = await createTestbed('trace');
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const codePipelineClient = new CodePipelineClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const handler = createLambdaHandler(job, {
    tableName: testbed.tableName,
    dynamoDBClient: dynamoDB(),
    codePipelineClient,
    metrics: false,
    tracing: { api: otel, tracerProvider },
    logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  const result = await emulator.runLambdaAction({
    handler,
    userParameters: { polls: 5 },
    faults: [{ kind: 'duplicate-delivery', mode: 'sequential', when: { sequence: 3 } }],
  });
  expect(result.status).toBe('Succeeded');
  expect(result.jobs).toHaveLength(5);

  const spans = exporter.getFinishedSpans();
  const invocations = spans.filter((s) => s.name === 'baton.invocation polling');
  expect(invocations).toHaveLength(result.invocations.length);
  expect(invocations).toHaveLength(6); // five jobs and the duplicate
  const runId = runIdOf(result);
  const stored = await testbed.store.getRun(runId);
  const firstJobId = result.jobs[0]?.id;
  const [first, ...others] = invocations.filter(
    (s) => s.attributes[BatonSpanAttribute.JobId] === firstJobId,
  );
  expect(others).toEqual([]);
  const firstContext = first?.spanContext();
  // The run stores the first invocation's trace context.
  expect(stored?.run.traceParent).toBe(
    `00-${firstContext?.traceId}-${firstContext?.spanId}-0${firstContext?.traceFlags}`,
  );
  for (const span of invocations) {
    expect(span.attributes[BatonSpanAttribute.RunId]).toBe(runId);
    if (span === first) {
      expect(span.links).toEqual([]);
      continue;
    }
    // Each later invocation is a trace of its own that links to the run's first.
    expect(span.spanContext().traceId).not.toBe(firstContext?.traceId);
    expect(span.links.map((l) => [l.context.traceId, l.context.spanId])).toEqual([
      [firstContext?.traceId, firstContext?.spanId],
    ]);
  }
  // What each invocation returned is on its span.
  const returned = eventsOf(result, 'invocation-ended').map((e) => e.value as InvocationResult);
  expect(
    invocations
      .map(
        (s) =>
          `${s.attributes[BatonSpanAttribute.JobId]} ${s.attributes[BatonSpanAttribute.InvocationResult]}`,
      )
      .sort(),
  ).toEqual(returned.map((r) => `${r.jobId} ${r.kind}`).sort());
  // A span per step call, under its invocation's span, with step, attempt and result.
  const steps = spans.filter((s) => s.name.startsWith('baton.step '));
  expect(steps.map((s) => s.attributes[BatonSpanAttribute.Step])).toEqual([
    'start',
    'poll',
    'poll',
    'poll',
    'poll',
    'poll',
  ]);
  for (const step of steps) {
    const parent = invocations.find(
      (s) => s.spanContext().spanId === step.parentSpanContext?.spanId,
    );
    expect(parent).toBeDefined();
    expect(step.spanContext().traceId).toBe(parent?.spanContext().traceId);
    expect(step.attributes[BatonSpanAttribute.Attempt]).toBe(1);
  }
  expect(steps.map((s) => s.attributes[BatonSpanAttribute.StepResult])).toEqual([
    'goTo',
    'wait',
    'wait',
    'wait',
    'wait',
    'succeed',
  ]);
  const last = invocations.find((s) => s.attributes[BatonSpanAttribute.RunEnd] !== undefined);
  expect(last?.attributes[BatonSpanAttribute.RunEnd]).toBe('succeeded');
  await tracerProvider.shutdown();
  codePipelineClient.destroy();
});
