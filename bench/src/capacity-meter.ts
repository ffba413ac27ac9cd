import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Operations that write, whose capacity the meter asks for. */
const WRITE_OPERATIONS = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'TransactWriteItems',
  'BatchWriteItem',
]);

interface ConsumedCapacity {
  CapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/**
 * Write units a DynamoDB client consumed, by operation: every write request
 * is sent with `ReturnConsumedCapacity: TOTAL`, and the units DynamoDB (Local)
 * answers are summed. Measured, not estimated: item sizes, the larger of the
 * old and new item, and a transaction's double price are DynamoDB's own
 * accounting. A write whose condition fails reports no capacity to the
 * client and is not counted (the happy path has none).
 */
export class CapacityMeter {
  public writeUnits: Record<string, number> = {};

  public get totalWriteUnits(): number {
    return Object.values(this.writeUnits).reduce((a, b) => a + b, 0);
  }

  public reset(): void {
    this.writeUnits = {};
  }

  public attach(client: DynamoDBClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        if (!WRITE_OPERATIONS.has(operation)) return next(args);
        const input = args.input as { ReturnConsumedCapacity?: string };
        input.ReturnConsumedCapacity = 'TOTAL';
        const result = await next(args);
        const consumed = (result.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
        const entries = (Array.isArray(consumed) ? consumed : [consumed]) as Array<
          ConsumedCapacity | undefined
        >;
        for (const entry of entries) {
          const units = entry?.CapacityUnits ?? entry?.WriteCapacityUnits ?? 0;
          this.writeUnits[operation] = (this.writeUnits[operation] ?? 0) + units;
        }
        return result;
      },
      { step: 'initialize', name: 'benchCapacityMeter' },
    );
  }
}
