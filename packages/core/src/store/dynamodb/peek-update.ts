import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { RUN_SK, runPartitionKey } from './run-items.js';

/**
 * An `UpdateItem` that only reads: its condition can never hold (an
 * attribute that exists and does not), so DynamoDB refuses it, writes
 * nothing, creates no item, and returns the run item as it is
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`). The update it would make
 * (removing an attribute Baton never writes) is there only because an
 * `UpdateItem` needs one.
 */
export function peekUpdate(tableName: string, runId: string): UpdateCommandInput {
  return {
    TableName: tableName,
    Key: { pk: runPartitionKey(runId), sk: RUN_SK },
    UpdateExpression: 'REMOVE #never',
    ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(pk)',
    ExpressionAttributeNames: { '#never': 'batonPeekNeverWritten' },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}
