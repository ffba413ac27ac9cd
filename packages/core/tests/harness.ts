import { randomUUID } from 'node:crypto';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import {
  type Clock,
  CodePipelineReporter,
  createJsonLogger,
  createTable,
  DynamoDBRunStore,
  type InvocationResult,
  type Job,
  runInvocation,
} from '../src/index.js';
import { type SeedEvent, seedEvent } from './fixtures.js';
import { startTestPipeline, type TestPipeline } from './pipeline.js';

/** A clock the test moves; sleeping advances it at once. */
export class ManualClock implements Clock {
  // Starts at the real time: DynamoDB Local deletes items whose TTL has passed.
  public time = Date.now();
  public now(): number {
    return this.time;
  }
  public async sleep(ms: number): Promise<void> {
    this.time += ms;
  }
  public advance(seconds: number): void {
    this.time += seconds * 1000;
  }
}

/** Requests sent by one client, by command name; `reset()` between invocations. */
export class RequestCounter {
  public counts: Record<string, number> = {};
  public get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
  public reset(): void {
    this.counts = {};
  }
  /** Counts every HTTP attempt (the deserialize step runs once per attempt). */
  public attach(client: DynamoDBClient | CodePipelineClient): void {
    (client as DynamoDBClient).middlewareStack.add(
      (next, context) => async (args) => {
        const name = context.commandName ?? 'unknown';
        this.counts[name] = (this.counts[name] ?? 0) + 1;
        return next(args);
      },
      { step: 'deserialize', name: 'batonRequestCounter' },
    );
  }
}

export interface InvokeOptions {
  remainingMs?: number;
  requestId?: string;
}

/** Everything a protocol test needs: a fresh table, a pipeline, counted clients. */
export interface Harness {
  store: DynamoDBRunStore;
  clock: ManualClock;
  pipeline: TestPipeline;
  dynamo: RequestCounter;
  codepipeline: RequestCounter;
  logs: string[];
  invoke(event: unknown, options?: InvokeOptions): Promise<InvocationResult>;
  /** Every item of the table, as JSON text. */
  scanTable(): Promise<string>;
  /** Registers a job with the pipeline and returns its event. */
  newJob(options?: { userParameters?: string; continuationToken?: string }): SeedEvent;
  close(): Promise<void>;
}

export async function createHarness<S extends object, P>(job: Job<S, P>): Promise<Harness> {
  const endpoint = inject('dynamodbEndpoint');
  const settings = { region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } };
  const ddbClient = new DynamoDBClient({ ...settings, endpoint });
  const tableName = `core-${randomUUID()}`;
  await createTable(ddbClient, tableName);
  const pipeline = await startTestPipeline();
  const cpClient = new CodePipelineClient({
    ...settings,
    endpoint: pipeline.endpoint,
    maxAttempts: 1,
  });
  const dynamo = new RequestCounter();
  const codepipeline = new RequestCounter();
  dynamo.attach(ddbClient);
  codepipeline.attach(cpClient);
  const logs: string[] = [];
  const logger = createJsonLogger({ level: 'DEBUG', write: (line) => logs.push(line) });
  const store = new DynamoDBRunStore({ tableName, client: ddbClient });
  const reporter = new CodePipelineReporter({
    client: cpClient,
    logger,
    minRetryDelayMs: 5,
    maxRetryDelayMs: 20,
  });
  const clock = new ManualClock();
  return {
    store,
    clock,
    pipeline,
    dynamo,
    codepipeline,
    logs,
    invoke: (event, options = {}) => {
      dynamo.reset();
      codepipeline.reset();
      const remaining = options.remainingMs ?? 60_000;
      return runInvocation(
        job,
        event,
        {
          getRemainingTimeInMillis: () => remaining,
          awsRequestId: options.requestId ?? randomUUID(),
        },
        { store, reporter, logger, clock },
      );
    },
    scanTable: async () => {
      const out = await ddbClient.send(new ScanCommand({ TableName: tableName }));
      return JSON.stringify(out.Items ?? []);
    },
    newJob: (options = {}) => {
      const event = seedEvent();
      const data = event['CodePipeline.job'].data;
      data.actionConfiguration.configuration.UserParameters = options.userParameters ?? '{}';
      if (options.continuationToken === undefined) delete data.continuationToken;
      else data.continuationToken = options.continuationToken;
      event['CodePipeline.job'].id = pipeline.createJob();
      return event;
    },
    close: async () => {
      await pipeline.stop();
      ddbClient.destroy();
      cpClient.destroy();
    },
  };
}

/** Plays the continuation loop: invokes until the run reports a final result. */
export async function runToEnd(
  h: Harness,
  first: SeedEvent,
  options: { betweenSeconds?: number; maxInvocations?: number } = {},
): Promise<InvocationResult[]> {
  const results: InvocationResult[] = [];
  let event = first;
  for (let i = 0; i < (options.maxInvocations ?? 50); i++) {
    const result = await h.invoke(event);
    results.push(result);
    if (result.outcome?.kind !== 'continue') return results;
    h.clock.advance(options.betweenSeconds ?? 1);
    event = h.newJob({
      userParameters:
        first['CodePipeline.job'].data.actionConfiguration.configuration.UserParameters,
      continuationToken: result.outcome.continuationToken,
    });
  }
  throw new Error('run did not finish');
}
