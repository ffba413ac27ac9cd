/**
 * The README's Metrics, Tracing and Abandoned runs examples: each block is
 * (part of) a fixture file, byte for byte, and each fixture runs here as a
 * Lambda function would, against DynamoDB Local and the test pipeline.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as otel from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createTable, DynamoDBRunStore } from '../src/index.js';
import { seedEvent } from './fixtures.js';
import { startTestPipeline, type TestPipeline } from './pipeline.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** The `ts` blocks of the README section under `heading`, in order. */
function sectionBlocks(heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`README.md has no "${heading}" section`);
  const end = readme.indexOf('\n## ', start + heading.length + 2);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
}

const context = { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'req' };
const saved = { ...process.env };
let pipeline: TestPipeline;
let tableName: string;

beforeAll(async () => {
  pipeline = await startTestPipeline();
  process.env.AWS_ENDPOINT_URL_CODEPIPELINE = pipeline.endpoint;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = inject('dynamodbEndpoint');
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  tableName = `readme-operate-${randomUUID()}`;
  await createTable(new DynamoDBClient({}), tableName);
  process.env.BATON_TABLE_NAME = tableName;
});

afterAll(async () => {
  process.env = saved;
  await pipeline.stop();
});

function event() {
  const e = seedEvent();
  e['CodePipeline.job'].id = pipeline.createJob();
  return e;
}

/** What `fn` wrote to stdout, line by line. */
async function stdoutOf(fn: () => Promise<unknown>): Promise<string[]> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return written.join('').split('\n').filter(Boolean);
}

describe("packages/core/README.md's examples", () => {
  it('Metrics: the handler writes its EMF line under the namespace and service name given', async () => {
    const [block] = sectionBlocks('## Metrics');
    expect(fixture('readme-metrics-handler.ts').endsWith(`\n${block}`)).toBe(true);
    const { handler } = await import('./fixtures/readme-metrics-handler.js');
    const e = event();
    const lines = await stdoutOf(() => handler(e, context));
    const emf = lines.map((line) => JSON.parse(line)).filter((line) => line._aws);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({
      ServiceName: 'deployer',
      JobName: 'deploy',
      Invocations: 1,
      InvocationsReported: 1,
      RunsStarted: 1,
      RunsSucceeded: 1,
      StepsRun: 1,
      _aws: {
        CloudWatchMetrics: [{ Namespace: 'Deploys', Dimensions: [['ServiceName', 'JobName']] }],
      },
    });
    expect(pipeline.result(e['CodePipeline.job'].id)).toMatchObject({ kind: 'success' });
  });

  it('Tracing: with a tracer provider registered, the handler makes the invocation and step spans', async () => {
    const [block] = sectionBlocks('## Tracing');
    const expected = (block ?? '').replace(
      "import * as otel from '@opentelemetry/api';\n",
      "import * as otel from '@opentelemetry/api';\nimport { createLambdaHandler } from '../../src/index.js';\nimport { job } from './readme-job.js';\n",
    );
    expect(fixture('readme-tracing-handler.ts').endsWith(`\n${expected}`)).toBe(true);
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    expect(otel.trace.setGlobalTracerProvider(provider)).toBe(true);
    try {
      const { handler } = await import('./fixtures/readme-tracing-handler.js');
      const e = event();
      await stdoutOf(() => handler(e, context));
      const spans = exporter.getFinishedSpans();
      expect(spans.map((span) => span.name).sort()).toEqual([
        'baton.invocation deploy',
        'baton.step start',
      ]);
      const invocation = spans.find((span) => span.name === 'baton.invocation deploy');
      expect(invocation?.attributes).toMatchObject({
        'baton.job.name': 'deploy',
        'baton.job.id': e['CodePipeline.job'].id,
      });
    } finally {
      otel.trace.disable();
    }
  });

  it('Abandoned runs: the sweep handler marks a run nothing touched for 40 minutes', async () => {
    const [block] = sectionBlocks('## Abandoned runs');
    expect(fixture('readme-sweep-handler.ts')).toBe(block);
    const store = new DynamoDBRunStore({ tableName, client: new DynamoDBClient({}) });
    const at = Date.now() - 40 * 60_000;
    const runId = randomBytes(16).toString('hex');
    const claim = await store.claim({
      runId,
      jobId: `job-${randomUUID()}`,
      jobSeq: 0,
      owner: 'died',
      leaseUntil: at + 60_000,
      now: at,
      create: {
        jobName: 'deploy',
        firstStep: 'start',
        nonce: 'N'.repeat(22),
        deadlineAt: at + 6 * 3_600_000,
        expiresAt: Math.floor(at / 1000) + 86_400,
      },
    });
    expect(claim.claimed).toBe(true);
    const { handler } = await import('./fixtures/readme-sweep-handler.js');
    // Runs of the examples above ended: only this one is running.
    expect(await handler()).toEqual({ scanned: 1, abandoned: 1 });
    expect((await store.getRun(runId))?.run).toMatchObject({
      status: 'abandoned',
      abandonReason: 'no-reply',
    });
  });
});
