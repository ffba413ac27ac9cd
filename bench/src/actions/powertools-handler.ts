import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BenchLambdaContext } from '../lambda-context.js';
import { type BareResult, createBareHandler, type PollEvent } from './bare-handler.js';

/** Options of {@link createPowertoolsHandler}. */
export interface PowertoolsHandlerOptions {
  codePipelineClient: CodePipelineClient;
  dynamoDBClient: DynamoDBClient;
  /** Powertools' own table (partition key `id`). */
  tableName: string;
}

/**
 * The bare handler made idempotent per CodePipeline job id with Powertools:
 * the same user code, plus an INPROGRESS record before it runs and the stored
 * result after, so a duplicate of a finished job returns that result without
 * running the poll or reporting again.
 */
export function createPowertoolsHandler(
  options: PowertoolsHandlerOptions,
): (event: PollEvent, context: BenchLambdaContext) => Promise<BareResult> {
  const bare = createBareHandler(options.codePipelineClient);
  return makeIdempotent(async (event: PollEvent, _context: BenchLambdaContext) => bare(event), {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: options.tableName,
      awsSdkV3Client: options.dynamoDBClient,
    }),
    config: new IdempotencyConfig({ eventKeyJmesPath: '"CodePipeline.job".id' }),
  });
}
