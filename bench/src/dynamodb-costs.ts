// `pnpm --filter @baton/bench dynamodb-costs`: what DynamoDB Local charges for
// the shapes of write Baton and Powertools send, side by side, so a store design
// can be weighed before it is built. Prints a table on stdout; writes nothing.
// Each shape is an unconditional `UpdateItem` of one attribute; the shapes differ
// in one thing each: the item (a 30-attribute, 2.3 KB run item like Baton's
// against a 5-attribute record like Powertools'), the run-list index on the
// table, and `ReturnValues: ALL_NEW`. Rounds are interleaved, the order reversed
// every other round, so the machine's noise falls on all shapes alike.
import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { tableDefinition } from '@baton/core';
import { LOCAL_AWS_SETTINGS, startDynamoDBLocal } from '@baton/testing';
import { median } from './stats.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 600);
const WARMUP_ROUNDS = 50;
/** Items per shape, written in turn, so no single item is hot. */
const ITEMS = 50;

/** A run item's attributes after a few invocations: pending history, outcome, progress, … */
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
  for (let k = 0; k < 22; k++)
    item[`field${k}`] = k % 2 ? 1_796_188_860_324 + k : `value-${k}-cbd1a672`;
  return item;
}

/** A Powertools idempotency record's size: a handful of short attributes. */
function smallItem(): Record<string, unknown> {
  return { status: 'COMPLETED', createdAt: 5, expiration: 1_796_188_860, data: '{"kind":"x"}' };
}

interface Shape {
  label: string;
  table: string;
  prefix: string;
  allNew: boolean;
}

const ddb = await startDynamoDBLocal();
const client = new DynamoDBClient({ ...LOCAL_AWS_SETTINGS, endpoint: ddb.endpoint });
try {
  const indexed = 'costs-with-index';
  const plain = 'costs-without-index';
  await client.send(new CreateTableCommand(tableDefinition(indexed)));
  const { GlobalSecondaryIndexes: _index, ...withoutIndex } = tableDefinition(plain);
  await client.send(
    new CreateTableCommand({
      ...withoutIndex,
      AttributeDefinitions: withoutIndex.AttributeDefinitions?.slice(0, 2),
    }),
  );
  for (const table of [indexed, plain]) {
    for (let i = 0; i < ITEMS; i++) {
      for (const [prefix, item] of [
        ['run', runItem()],
        ['small', smallItem()],
      ] as const) {
        await client.send(
          new PutItemCommand({
            TableName: table,
            Item: marshall({ pk: `${prefix}#${i}`, sk: 'run', ...item }),
          }),
        );
      }
    }
  }
  const shapes: Shape[] = [
    { label: 'small item, no index', table: plain, prefix: 'small', allNew: false },
    { label: 'small item, index', table: indexed, prefix: 'small', allNew: false },
    { label: 'run item, no index', table: plain, prefix: 'run', allNew: false },
    { label: 'run item, index', table: indexed, prefix: 'run', allNew: false },
    { label: 'run item, no index, ALL_NEW', table: plain, prefix: 'run', allNew: true },
    { label: 'run item, index, ALL_NEW', table: indexed, prefix: 'run', allNew: true },
  ];
  const samples = shapes.map(() => [] as number[]);
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    const order = round % 2 ? shapes.keys() : [...shapes.keys()].reverse();
    for (const s of order) {
      const shape = shapes[s] as Shape;
      const command = new UpdateItemCommand({
        TableName: shape.table,
        Key: marshall({ pk: `${shape.prefix}#${round % ITEMS}`, sk: 'run' }),
        UpdateExpression: 'SET updatedAt = :now',
        ExpressionAttributeValues: marshall({ ':now': round }),
        ...(shape.allNew ? { ReturnValues: 'ALL_NEW' as const } : {}),
      });
      const started = performance.now();
      await client.send(command);
      if (round >= WARMUP_ROUNDS) samples[s]?.push(performance.now() - started);
    }
  }
  const base = median(samples[0] as number[]);
  const rows = shapes.map((shape, s) => {
    const p50 = median(samples[s] as number[]);
    return `| ${shape.label} | ${p50.toFixed(2)} ms | +${(p50 - base).toFixed(2)} ms |`;
  });
  process.stdout.write(
    [
      `UpdateItem round trips to DynamoDB Local, ${ROUNDS} rounds (medians, SDK time included):`,
      '',
      '| Shape | Round trip p50 | Over the small item without index |',
      '| --- | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
  );
} finally {
  client.destroy();
  await ddb.stop();
}
