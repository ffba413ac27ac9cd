import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ClaimRequest, ClaimResult, CommitRequest } from '../../engine/ports/run-store.js';
import { claimUpdate } from './claim-update.js';
import { commitUpdate, showsCommit } from './commit-update.js';
import type { HistoryFlusher } from './history-flusher.js';
import { renewUpdate } from './lease-updates.js';
import { appendRecord, pendingOf } from './pending-history.js';
import { storeError, toRunRecord } from './run-items.js';
import type { StoreContext } from './store-context.js';

/** The store's critical path: the claim and the commit, which share the history flusher. */
export interface WritePath extends StoreContext {
  readonly flusher: HistoryFlusher;
}

/** See `DynamoDBRunStore.claim`. */
export async function claimRun(store: WritePath, request: ClaimRequest): Promise<ClaimResult> {
  try {
    const out = await store.doc.send(new UpdateCommand(claimUpdate(store.tableName, request)));
    const item = out.Attributes;
    if (item) store.flusher.claimed(request.owner, item, request.now);
    return { claimed: true, run: toRunRecord(item) };
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) {
      const item = err.Item ? unmarshall(err.Item) : undefined;
      // This claim applied, its answer lost (the engine goes on with it): its commit needs the pending records.
      if (item?.leaseOwner === request.owner)
        store.flusher.claimed(request.owner, item, request.now);
      return { claimed: false, current: item ? toRunRecord(item) : undefined };
    }
    throw storeError(`claim of run ${request.runId}`, store.tableName, err);
  }
}

/** See `DynamoDBRunStore.commit`. */
export async function commitRun(store: WritePath, request: CommitRequest): Promise<boolean> {
  try {
    const pending =
      (await store.flusher.pendingAfter(request.owner, request.history)) ??
      appendRecord(await pendingByRenewal(store, request), request.history);
    await store.doc.send(new UpdateCommand(commitUpdate(store.tableName, request, pending)));
    store.flusher.forget(request.owner);
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) {
      store.flusher.forget(request.owner);
      return err.Item !== undefined && showsCommit(unmarshall(err.Item), request);
    }
    throw storeError(`commit of run ${request.runId}`, store.tableName, err);
  }
}

/**
 * The run item's pending history records, for a commit whose claim this
 * store did not see: read by renewing the lease (an `UpdateItem` that
 * returns the run; the function's IAM policy allows no read). A lease that
 * is gone fails the condition: the commit is refused.
 */
async function pendingByRenewal(
  store: StoreContext,
  request: CommitRequest,
): Promise<string | undefined> {
  const out = await store.doc.send(
    new UpdateCommand({
      ...renewUpdate(store.tableName, request.runId, request.owner, request.now),
      ReturnValues: 'ALL_NEW',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }),
  );
  return pendingOf(out.Attributes);
}
