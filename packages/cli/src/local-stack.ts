import { DynamoDBRunStore } from '@baton/core';
import {
  type CodePipelineEmulator,
  type DynamoDBLocal,
  startCodePipelineEmulator,
  startDynamoDBLocal,
} from '@baton/testing';
import { untilAborted } from './interruption.js';

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** Baton's table, created on DynamoDB Local. */
  tableName: string;
  /** Real ms per pipeline ms between invocations (see the emulator). @default 1 */
  timeScale?: number;
  /** Ctrl-C: stops waiting for DynamoDB Local (and stops it once it has started). */
  signal?: AbortSignal;
}

/** DynamoDB Local with Baton's table and a CodePipeline emulator, for playing actions. */
export interface LocalStack {
  dynamodb: DynamoDBLocal;
  emulator: CodePipelineEmulator;
  tableName: string;
  /** Baton's store on the table, to read runs back. */
  store: DynamoDBRunStore;
  /** Environment for handlers: `BATON_TABLE_NAME` and `AWS_ENDPOINT_URL_DYNAMODB`. */
  handlerEnvironment: Record<string, string>;
  /** Stops the emulator (killing its workers) and DynamoDB Local (if started here). */
  stop(): Promise<void>;
}

/**
 * Starts what a local action needs: DynamoDB Local (from
 * `AWS_ENDPOINT_URL_DYNAMODB` when set, else a container or the bundled jar)
 * with Baton's table, and a CodePipeline emulator.
 *
 * @example
 * ```ts
 * const stack = await startLocalStack({ tableName: 'baton-local', timeScale: 1 / 20 });
 * try {
 *   await stack.emulator.runLambdaAction({ handler, environment: stack.handlerEnvironment });
 * } finally {
 *   await stack.stop();
 * }
 * ```
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dynamodb = await untilAborted(
    startDynamoDBLocal({ tableName: options.tableName }),
    options.signal,
    (late) => void late.stop(),
  );
  let emulator: CodePipelineEmulator;
  try {
    emulator = await startCodePipelineEmulator({
      ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    });
  } catch (err) {
    await dynamodb.stop();
    throw err;
  }
  return {
    dynamodb,
    emulator,
    tableName: options.tableName,
    store: new DynamoDBRunStore({ tableName: options.tableName, client: dynamodb.client }),
    handlerEnvironment: {
      BATON_TABLE_NAME: options.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
    },
    stop: async () => {
      try {
        await emulator.stop();
      } finally {
        await dynamodb.stop();
      }
    },
  };
}
