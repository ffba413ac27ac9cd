import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { RunRecord } from '../run-record.js';
import { RUN_SK, storeError } from './run-items.js';

/**
 * A path into a run item `baton runs list` may read: a field of
 * {@link RunRecord}, or one field inside `progress` or `outcome`. Do not
 * ask for a field and a path inside it at once (DynamoDB refuses
 * overlapping paths).
 *
 * @example
 * ```ts
 * const fields: RunFieldPath[] = ['status', 'updatedAt', 'outcome.kind'];
 * ```
 */
export type RunFieldPath =
  | keyof RunRecord
  | `progress.${'percentComplete' | 'summary'}`
  | `outcome.${'kind' | 'jobId' | 'jobSeq' | 'percentComplete' | 'summary' | 'failureType' | 'message'}`;

/**
 * A run item read with a projection: only the fields asked for are present
 * (and, inside `progress` and `outcome`, only the paths asked for).
 *
 * @example
 * ```ts
 * for await (const run of store.listRunsNewestFirst({ fields: ['outcome.kind'] })) run.outcome?.kind;
 * ```
 */
export type ProjectedRun = {
  [K in keyof RunRecord]?: RunRecord[K] extends object | undefined
    ? Partial<NonNullable<RunRecord[K]>>
    : RunRecord[K];
};

/**
 * A projection expression (with `runId`) and a placeholder name for each
 * path segment, since many field names are DynamoDB reserved words.
 */
export function projectionOf(fields: readonly RunFieldPath[]): {
  expression: string;
  names: Record<string, string>;
} {
  const names: Record<string, string> = {};
  const paths = [...new Set<string>(['runId', ...fields])].map((path) =>
    path
      .split('.')
      .map((segment) => {
        const placeholder = `#${segment}`;
        names[placeholder] = segment;
        return placeholder;
      })
      .join('.'),
  );
  return { expression: paths.join(', '), names };
}

/**
 * Run items in table order (a `Scan` with a projection), at most `maxRuns`
 * of them: for tables without the `RUN_LIST_INDEX`.
 */
export async function* scanRuns(
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: { fields: readonly RunFieldPath[]; maxRuns: number },
): AsyncGenerator<ProjectedRun> {
  const projection = projectionOf(options.fields);
  let startKey: Record<string, unknown> | undefined;
  let yielded = 0;
  do {
    const out = await doc
      .send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: '#sk = :run',
          ProjectionExpression: projection.expression,
          ExpressionAttributeNames: { '#sk': 'sk', ...projection.names },
          ExpressionAttributeValues: { ':run': RUN_SK },
          ExclusiveStartKey: startKey,
        }),
      )
      .catch((err: unknown) => {
        throw storeError('scanning runs', tableName, err);
      });
    for (const item of out.Items ?? []) {
      if (yielded >= options.maxRuns) return;
      yield item as ProjectedRun;
      yielded += 1;
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
}
