import {
  CreateTableCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { tableDefinition } from '@baton/core';
import { type BenchEnv, tableDefinitionWithoutIndex } from './bench-env.js';
import { median } from './stats.js';

/** One shape of request, timed against the others in the same rounds. */
export interface RequestShape {
  /**
   * `update`: an unconditional `UpdateItem` of one attribute. `read`: a
   * strongly consistent `GetItem` of the whole item, what a step that skips
   * the lease would send in place of the claim (issue 14's stretch).
   */
  request: 'update' | 'read';
  /** The item: Baton's run item or a record the size of Powertools'. */
  item: 'run' | 'small';
  /** Whether the table has Baton's run-list index (a read never touches it). */
  index: boolean;
  /** Whether the write returns the item (`ReturnValues: ALL_NEW`), as Baton's claim does. */
  allNew: boolean;
  /** Median round trip, ms (SDK time included). */
  p50Ms: number;
}

/** A shape without its measurement: what {@link findShape} looks for. */
export type ShapeKey = Omit<RequestShape, 'p50Ms'>;

/** The shape of Baton's claim: an update of the run item, on the indexed table, returning it. */
export const CLAIM_SHAPE: ShapeKey = { request: 'update', item: 'run', index: true, allNew: true };

/** The read a step that skips the lease would send in place of the claim. */
export const READ_SHAPE: ShapeKey = { request: 'read', item: 'run', index: true, allNew: false };

/** The measured shape equal to `key`, if the run measured it. */
export function findShape(
  shapes: readonly RequestShape[],
  key: ShapeKey,
): RequestShape | undefined {
  return shapes.find(
    (s) =>
      s.request === key.request &&
      s.item === key.item &&
      s.index === key.index &&
      s.allNew === key.allNew,
  );
}

export interface RequestShapesResult {
  rounds: number;
  shapes: RequestShape[];
}

/** Items per shape, written in turn, so no single item is hot. */
const ITEMS = 50;
const WARMUP_ROUNDS = 30;

/**
 * What DynamoDB Local charges for the shape of a request, all else equal: one
 * unconditional `UpdateItem` of one attribute on an item shaped like Baton's
 * run item (30 attributes, 2.3 KB) or like a Powertools record (a few short
 * attributes), on a table with or without the run-list index, with or
 * without `ALL_NEW`; and a strongly consistent `GetItem` of the run item.
 * Rounds are interleaved, the order reversed every other round, so the
 * machine's noise falls on all shapes alike.
 */
export async function measureRequestShapes(env: BenchEnv): Promise<RequestShapesResult> {
  const client = env.ddb.client;
  const suffix = Math.random().toString(36).slice(2, 8);
  const tables = { indexed: `shapes-index-${suffix}`, plain: `shapes-plain-${suffix}` };
  await client.send(new CreateTableCommand(tableDefinition(tables.indexed)));
  await client.send(new CreateTableCommand(tableDefinitionWithoutIndex(tables.plain)));
  for (const table of Object.values(tables)) {
    for (let i = 0; i < ITEMS; i++) {
      for (const [kind, item] of [
        ['run', runItem()],
        ['small', smallItem()],
      ] as const) {
        await client.send(
          new PutItemCommand({
            TableName: table,
            Item: marshall({ pk: `${kind}#${i}`, sk: 'run', ...item }),
          }),
        );
      }
    }
  }
  const shapes: ShapeKey[] = [];
  for (const item of ['small', 'run'] as const) {
    for (const index of [false, true]) {
      for (const allNew of item === 'run' ? [false, true] : [false]) {
        shapes.push({ request: 'update', item, index, allNew });
      }
    }
  }
  shapes.push(READ_SHAPE);
  const rounds = env.config.requestShapeRounds;
  const samples = shapes.map(() => [] as number[]);
  for (let round = 0; round < WARMUP_ROUNDS + rounds; round++) {
    const order = round % 2 ? [...shapes.keys()] : [...shapes.keys()].reverse();
    for (const s of order) {
      const shape = shapes[s] as ShapeKey;
      const target = {
        TableName: shape.index ? tables.indexed : tables.plain,
        Key: marshall({ pk: `${shape.item}#${round % ITEMS}`, sk: 'run' }),
      };
      const started = performance.now();
      if (shape.request === 'read') {
        await client.send(new GetItemCommand({ ...target, ConsistentRead: true }));
      } else {
        await client.send(
          new UpdateItemCommand({
            ...target,
            UpdateExpression: 'SET updatedAt = :now',
            ExpressionAttributeValues: marshall({ ':now': round }),
            ...(shape.allNew ? { ReturnValues: 'ALL_NEW' as const } : {}),
          }),
        );
      }
      if (round >= WARMUP_ROUNDS) samples[s]?.push(performance.now() - started);
    }
  }
  return {
    rounds,
    shapes: shapes.map((shape, s) => ({ ...shape, p50Ms: median(samples[s] as number[]) })),
  };
}

/** A run item after a few invocations: pending history, outcome, progress, … */
function runItem(): Record<string, unknown> {
  const item: Record<string, unknown> = {
    status: 'running',
    createdAt: 1_796_188_860_324,
    jobName: 'bench-poll',
    pendingHistory: 'h'.repeat(900),
    stateJson: '{"polls":3}',
    outcome: {
      kind: 'continue',
      jobId: 'cbd1a672-7aa0-421f-b2fd-3be266b06929',
      jobSeq: 2,
      percentComplete: 60,
      summary: 'poll 3: IN_PROGRESS',
      continuationToken: 'bt1.7291cb4d35f95c3ae3bfb7bd8a6159a5.3.u7L2RzPnLOHS4WGYPYaX_g',
    },
    recentJobIds: ['cbd1a672-7aa0-421f-b2fd-3be266b06929', '465f3e55-031d-41c0-96e6-ad23935c2550'],
  };
  for (let k = 0; k < 22; k++) {
    item[`field${k}`] = k % 2 ? 1_796_188_860_324 + k : `value-${k}-cbd1a672`;
  }
  return item;
}

/**
 * A Powertools idempotency record's size: a few short attributes, with the
 * index's keys (`status`, `createdAt`), so on the indexed table it is in the index.
 */
function smallItem(): Record<string, unknown> {
  return { status: 'COMPLETED', createdAt: 5, expiration: 1_796_188_860, data: '{"kind":"x"}' };
}
