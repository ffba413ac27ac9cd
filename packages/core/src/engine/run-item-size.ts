import type { RunRecord } from '../store/run-record.js';
import type { CommitRequest } from './ports/run-store.js';

/** DynamoDB's largest item: 400 KB. */
export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;
/**
 * Kept free for what the estimate leaves out: the keys, the lease and claim
 * fields a later claim adds, attribute-name overhead (4 KB), and the history
 * records the DynamoDB store keeps in the run item until a claim moves them
 * (under 10 KB: see its `pending-history.ts`).
 */
const RESERVED_BYTES = 14 * 1024;

/**
 * The size, by DynamoDB's rules (UTF-8 strings, names counted, about 21
 * bytes a number), the run item will have after `request` is committed.
 *
 * @example
 * ```ts
 * runItemBytes(request, run); // 1834
 * ```
 */
export function runItemBytes(request: CommitRequest, run: RunRecord): number {
  const after: Record<string, unknown> = {
    ...run,
    ...request,
    stateJson: request.stateJson ?? run.stateJson,
    history: undefined,
  };
  return sizeOf(after);
}

/**
 * A message saying why the run item would be too large to store, or
 * `undefined` when it fits with room to spare.
 *
 * @example
 * ```ts
 * const problem = runItemProblem(request, run); // "the run would be 412345 bytes …"
 * ```
 */
export function runItemProblem(request: CommitRequest, run: RunRecord): string | undefined {
  const bytes = runItemBytes(request, run);
  const limit = DYNAMODB_ITEM_LIMIT_BYTES - RESERVED_BYTES;
  if (bytes <= limit) return undefined;
  const part = (value: unknown) => (value === undefined ? 0 : sizeOf(value));
  return (
    `the run would be ${bytes} bytes in DynamoDB, over the ${limit} bytes Baton allows an item ` +
    `(DynamoDB's limit is ${DYNAMODB_ITEM_LIMIT_BYTES}): state ${part(request.stateJson ?? run.stateJson)} bytes, ` +
    `outcome ${part(request.outcome)} bytes, progress ${part(request.progress)} bytes; ` +
    'keep large data outside the state and the output variables (e.g. in S3) and store a reference'
  );
}

function sizeOf(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return Buffer.byteLength(value, 'utf8');
    case 'number':
    case 'bigint':
      return 21;
    case 'boolean':
      return 1;
    case 'object': {
      if (value === null) return 1;
      if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + sizeOf(v), 0);
      let bytes = 3;
      for (const [key, v] of Object.entries(value)) {
        if (v !== undefined) bytes += 1 + Buffer.byteLength(key, 'utf8') + sizeOf(v);
      }
      return bytes;
    }
    default:
      return 0;
  }
}
