import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CodePipelineReporter,
  createJsonLogger,
  createLambdaHandler,
  type Job,
  runInvocation,
} from '@baton/core';
import { createBareHandler, type PollEvent } from './actions/bare-handler.js';
import { batonPollJob } from './actions/baton-poll-job.js';
import { createPowertoolsHandler } from './actions/powertools-handler.js';
import { type BenchEnv, clientSettings } from './bench-env.js';
import type { CapacityMeter } from './capacity-meter.js';
import type { BenchLambdaContext } from './lambda-context.js';
import { TransactCommitRunStore } from './prototypes/transact-commit-run-store.js';
import { RequestCounter } from './request-counter.js';

/** The three ways of writing the polling action, and Baton with its previous commit. */
export const VariantName = {
  Baton: 'baton',
  Bare: 'bare',
  Powertools: 'powertools',
  /** Baton with its previous commit, `TransactWriteItems` (prototypes/transact-commit-run-store.ts). */
  BatonTransactCommit: 'baton-transact-commit',
  /** Baton on a table without the run-list index (what DynamoDB Local's index upkeep costs). */
  BatonWithoutIndex: 'baton-no-index',
} as const;
export type VariantName = (typeof VariantName)[keyof typeof VariantName];

/** The three ways of writing the action, compared everywhere. */
export const VARIANT_NAMES: readonly VariantName[] = ['baton', 'bare', 'powertools'];

export const VARIANT_LABELS: Record<VariantName, string> = {
  baton: 'Baton (createLambdaHandler)',
  bare: 'bare (AWS sample style)',
  powertools: 'Powertools idempotency',
  'baton-transact-commit': 'Baton, previous commit (TransactWriteItems)',
  'baton-no-index': 'Baton, table without the run-list index',
};

/** One Lambda container of one variant: its handler and its own SDK clients. */
export interface Variant {
  name: VariantName;
  invoke(event: unknown, context: BenchLambdaContext): Promise<unknown>;
  /** Requests of this container's DynamoDB client (none for the bare handler). */
  dynamo: RequestCounter;
  codePipeline: RequestCounter;
  destroy(): void;
}

/** Options of {@link createVariant}. */
export interface VariantOptions {
  /** Request counters, to share them between containers. @default new ones */
  dynamo?: RequestCounter;
  codePipeline?: RequestCounter;
  /** Measures the write units of the DynamoDB client. @default none (no `ReturnConsumedCapacity`) */
  capacity?: CapacityMeter;
  /** The job of the Baton variants. @default the polling action ({@link batonPollJob}) */
  // biome-ignore lint/suspicious/noExplicitAny: any job's state and params
  job?: Job<any, any>;
}

/**
 * Builds a container of a variant the way its Lambda entry would, with clients
 * pointed at the local endpoints.
 */
export function createVariant(
  name: VariantName,
  env: BenchEnv,
  counters: VariantOptions = {},
): Variant {
  const job = counters.job ?? batonPollJob;
  const dynamo = counters.dynamo ?? new RequestCounter();
  const codePipeline = counters.codePipeline ?? new RequestCounter();
  const dynamoDBClient = new DynamoDBClient(clientSettings(env.ddb.endpoint));
  const codePipelineClient = new CodePipelineClient({
    ...clientSettings(env.fixtures.codePipelineEndpoint),
    // Baton retries reports itself (its default client has maxAttempts 1); the
    // others keep the SDK's default retries, as their samples do.
    ...(name.startsWith('baton') ? { maxAttempts: 1 } : {}),
  });
  dynamo.attach(dynamoDBClient);
  codePipeline.attach(codePipelineClient);
  counters.capacity?.attach(dynamoDBClient);
  // Lines are formatted as in Lambda, then dropped: the cost stays, the noise goes.
  const logger = createJsonLogger({ write: () => {} });
  let invoke: Variant['invoke'];
  switch (name) {
    case 'baton':
    case 'baton-no-index': {
      invoke = createLambdaHandler(job, {
        tableName: name === 'baton' ? env.batonTable : env.batonTableWithoutIndex,
        dynamoDBClient,
        codePipelineClient,
        logger,
      });
      break;
    }
    case 'baton-transact-commit': {
      const deps = {
        store: new TransactCommitRunStore({ tableName: env.batonTable, client: dynamoDBClient }),
        reporter: new CodePipelineReporter({ client: codePipelineClient, logger }),
        logger,
      };
      invoke = (event, context) => runInvocation(job, event, context, deps);
      break;
    }
    case 'bare': {
      const handler = createBareHandler(codePipelineClient);
      invoke = (event) => handler(event as PollEvent);
      break;
    }
    case 'powertools': {
      const handler = createPowertoolsHandler({
        codePipelineClient,
        dynamoDBClient,
        tableName: env.powertoolsTable,
      });
      invoke = (event, context) => handler(event as PollEvent, context);
      break;
    }
  }
  return {
    name,
    invoke,
    dynamo,
    codePipeline,
    destroy: () => {
      dynamoDBClient.destroy();
      codePipelineClient.destroy();
    },
  };
}
