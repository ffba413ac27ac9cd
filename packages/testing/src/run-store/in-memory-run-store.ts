import {
  type AbandonRequest,
  type ClaimRequest,
  type ClaimResult,
  type CommitRequest,
  claimRefusal,
  type HistoryRecord,
  type ListRunsOptions,
  MAX_HISTORY_ENTRIES,
  type ReportTakeOver,
  type RunningStep,
  type RunRecord,
  type RunStore,
  type StoredRun,
} from '@baton/core';

const LEASE_FIELDS = [
  'leaseOwner',
  'leaseUntil',
  'leaseRequestId',
  'leaseClaimedAt',
  'leaseStep',
] as const;

/**
 * A {@link RunStore} in memory, for unit tests only: engine phases and users'
 * steps run against it in milliseconds, without Java. It passes the same
 * contract suite as `DynamoDBRunStore` (`runStoreContract`), and evaluates
 * the claim rule with `claimRefusal`, the in-code form of the condition the
 * DynamoDB store sends.
 *
 * It is a test double, not a store: nothing survives the process, and it
 * knows nothing of DynamoDB's limits (item size, throttling, lost answers).
 * Integration tests, reliability suites and anything that proves the
 * protocol end to end run against DynamoDB Local.
 *
 * @example
 * ```ts
 * const store = new InMemoryRunStore();
 * await runInvocation(job, event, context, { store, reporter, logger });
 * const found = await store.getRun(runId);
 * ```
 */
export class InMemoryRunStore implements RunStore {
  readonly #runs = new Map<string, RunRecord>();
  readonly #history = new Map<string, Map<number, HistoryRecord & { expiresAt: number }>>();
  /** The `commitToken` of each run's last commit, as DynamoDBRunStore marks it. */
  readonly #commitTokens = new Map<string, string>();

  public async claim(request: ClaimRequest): Promise<ClaimResult> {
    const current = this.#runs.get(request.runId);
    if (claimRefusal(current, request) !== undefined) {
      return { claimed: false, current: current && copy(current) };
    }
    const run: RunRecord = current ?? created(request);
    run.leaseOwner = request.owner;
    run.leaseUntil = request.leaseUntil;
    run.leaseClaimedAt = request.now;
    run.nextJobId = request.jobId;
    run.updatedAt = request.now;
    run.unfinishedClaims = (run.unfinishedClaims ?? 0) + 1;
    run.unfinishedSince ??= request.now;
    if (request.replyBy !== undefined) run.replyBy ??= request.replyBy;
    if (request.requestId) run.leaseRequestId = request.requestId;
    this.#runs.set(request.runId, run);
    return { claimed: true, run: copy(run) };
  }

  public async commit(request: CommitRequest): Promise<boolean> {
    const run = this.#runs.get(request.runId);
    if (!run || run.leaseOwner !== request.owner || run.nextJobSeq !== request.jobSeq) {
      // A retry of a commit that was applied (its answer lost) counts as committed.
      return (
        run !== undefined &&
        request.commitToken !== undefined &&
        this.#commitTokens.get(request.runId) === request.commitToken &&
        run.nextJobSeq === request.nextJobSeq &&
        run.leaseOwner === undefined
      );
    }
    if (request.commitToken === undefined) this.#commitTokens.delete(request.runId);
    else this.#commitTokens.set(request.runId, request.commitToken);
    Object.assign(run, {
      status: request.status,
      step: request.step,
      nextJobSeq: request.nextJobSeq,
      attempt: request.attempt,
      visit: request.visit,
      outcome: copy(request.outcome),
      recentJobIds: [...request.recentJobIds],
      updatedAt: request.now,
      historyCount: run.historyCount + 1,
      expiresAt: request.expiresAt,
    });
    if (request.stateJson !== undefined) run.stateJson = request.stateJson;
    if (request.jobVersion !== undefined) run.jobVersion = request.jobVersion;
    for (const field of LEASE_FIELDS) delete run[field];
    const left = request.unfinishedClaimsLeft ?? 0;
    if (left > 0) {
      run.unfinishedClaims = left;
      run.carriedClaims = left;
    } else {
      delete run.unfinishedClaims;
      delete run.unfinishedSince;
      delete run.carriedClaims;
    }
    if (request.nextJobSeq !== request.jobSeq) {
      delete run.nextJobId;
      delete run.replyBy;
    }
    setOrDelete(run, 'resumeAt', request.resumeAt);
    setOrDelete(run, 'progress', request.progress && copy(request.progress));
    setOrDelete(run, 'lastError', request.lastError);
    setOrDelete(run, 'reportOwner', request.reporting && request.owner);
    setOrDelete(run, 'reportRequestId', request.reporting?.requestId);
    setOrDelete(run, 'reportUntil', request.reporting?.until);
    const items = this.#history.get(request.runId) ?? new Map();
    items.set(request.jobSeq, { ...capped(copy(request.history)), expiresAt: request.expiresAt });
    this.#history.set(request.runId, items);
    return true;
  }

  public async renewLease(
    runId: string,
    owner: string,
    now: number,
    running?: RunningStep,
  ): Promise<boolean> {
    const run = this.#runs.get(runId);
    if (run?.leaseOwner !== owner) return false;
    run.leaseClaimedAt = now;
    if (running !== undefined) run.leaseStep = { ...running };
    return true;
  }

  public async releaseLease(
    runId: string,
    owner: string,
    extra: { lastError?: string } = {},
  ): Promise<void> {
    const run = this.#runs.get(runId);
    if (run?.leaseOwner !== owner) return;
    for (const field of LEASE_FIELDS) delete run[field];
    if (extra.lastError !== undefined) run.lastError = extra.lastError;
  }

  public async takeOverReport(request: ReportTakeOver): Promise<boolean> {
    const run = this.#runs.get(request.runId);
    if (!run || run.reportOwner !== request.from) return false;
    run.reportOwner = request.owner;
    run.reportUntil = request.until;
    setOrDelete(run, 'reportRequestId', request.requestId);
    return true;
  }

  public async abandon(request: AbandonRequest): Promise<boolean> {
    const run = this.#runs.get(request.runId);
    if (!run || run.updatedAt !== request.ifUpdatedAt || run.status === 'abandoned') return false;
    if (run.leaseOwner !== undefined && (run.leaseUntil ?? 0) >= request.now) return false;
    if (request.ifReportOwner !== undefined && run.reportOwner !== request.ifReportOwner) {
      return false;
    }
    Object.assign(run, {
      status: 'abandoned',
      abandonedAt: request.now,
      abandonReason: request.reason,
      abandonDetail: request.detail,
    });
    return true;
  }

  public async peekRun(runId: string): Promise<RunRecord | undefined> {
    const run = this.#runs.get(runId);
    return run && copy(run);
  }

  public async getRun(runId: string): Promise<StoredRun | undefined> {
    const run = this.#runs.get(runId);
    if (!run) return undefined;
    const history = [...(this.#history.get(runId)?.entries() ?? [])]
      .sort(([a], [b]) => a - b)
      .map(([, { expiresAt: _ttl, ...record }]) => copy(record));
    return { run: copy(run), history };
  }

  public async *listRuns(options: ListRunsOptions = {}): AsyncGenerator<RunRecord> {
    let yielded = 0;
    for (const run of this.#runs.values()) {
      if (options.status !== undefined && run.status !== options.status) continue;
      if (options.limit !== undefined && yielded >= options.limit) return;
      yield copy(run);
      yielded += 1;
    }
  }
}

function created(request: ClaimRequest): RunRecord {
  const c = request.create;
  if (!c) throw new Error('unreachable: a claim without create passed on no run');
  return {
    runId: request.runId,
    jobName: c.jobName,
    firstJobId: request.jobId,
    status: 'running',
    step: c.firstStep,
    nextJobSeq: 0,
    nonce: c.nonce,
    attempt: 1,
    visit: 1,
    createdAt: request.now,
    updatedAt: request.now,
    deadlineAt: c.deadlineAt,
    historyCount: 0,
    expiresAt: c.expiresAt,
    ...(c.traceParent === undefined ? {} : { traceParent: c.traceParent }),
    ...(c.jobVersion === undefined ? {} : { jobVersion: c.jobVersion }),
  };
}

/** The history record with at most `MAX_HISTORY_ENTRIES` entries, as DynamoDBRunStore keeps it. */
function capped(history: HistoryRecord): HistoryRecord {
  if (history.entries.length <= MAX_HISTORY_ENTRIES) return history;
  const half = MAX_HISTORY_ENTRIES / 2;
  const entries = [...history.entries.slice(0, half), ...history.entries.slice(-half)];
  return {
    ...history,
    entries,
    droppedEntries: history.entries.length - entries.length + (history.droppedEntries ?? 0),
  };
}

function setOrDelete<
  K extends
    | 'resumeAt'
    | 'progress'
    | 'lastError'
    | 'reportOwner'
    | 'reportRequestId'
    | 'reportUntil',
>(run: RunRecord, field: K, value: RunRecord[K] | undefined): void {
  if (value === undefined) delete run[field];
  else run[field] = value;
}

/** A detached copy, without `undefined` fields (as DynamoDB stores it). */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
