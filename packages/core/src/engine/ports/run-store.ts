import type {
  AbandonReason,
  HistoryRecord,
  Outcome,
  Progress,
  RunningStep,
  RunRecord,
  RunStatus,
} from '../../store/run-record.js';

/** What a claim asks for. The rule it must pass is `claim/claim-rule.ts`. */
export interface ClaimRequest {
  runId: string;
  jobId: string;
  /** `jobSeq` of the claiming job (0 for the first job, else its token's). */
  jobSeq: number;
  /** The token's nonce; absent for the first job. */
  nonce?: string;
  /** Random id of this invocation. */
  owner: string;
  /** Lambda request id of this invocation, when known. */
  requestId?: string;
  /** Epoch ms when the lease ends (the invocation's deadline). */
  leaseUntil: number;
  now: number;
  /** Fields of a new run (first job only). */
  create?: {
    jobName: string;
    firstStep: string;
    nonce: string;
    deadlineAt: number;
    expiresAt: number;
    /** `traceparent` of this invocation's span, for later invocations to link to. */
    traceParent?: string;
    /** `version` of the job definition: stored as the run's `jobVersion`. */
    jobVersion?: number;
  };
  /** Take over from this lease owner (a Lambda retry of a dead invocation). */
  takeOverFrom?: string;
  /**
   * The job's reply deadline, epoch ms, stored as `replyBy` when the run holds
   * none (this is the job's first claim); a later claim of the job keeps the
   * first one's.
   */
  replyBy?: number;
}

/** Result of a claim. */
export type ClaimResult =
  | { claimed: true; run: RunRecord }
  /** The condition failed; `current` is the run as it was (absent: no such run). */
  | { claimed: false; current: RunRecord | undefined };

/** What a commit writes. */
export interface CommitRequest {
  runId: string;
  owner: string;
  /** `jobSeq` that was claimed. */
  jobSeq: number;
  status: RunStatus;
  step: string;
  /** The state; `undefined` leaves the stored state as it is (none yet: nothing ran). */
  stateJson?: string;
  /**
   * The job version the state is written in, stored as `jobVersion`;
   * `undefined` leaves the stored one as it is.
   */
  jobVersion?: number;
  /** `jobSeq` of the job expected next: `jobSeq + 1` after a continuation, else `jobSeq`. */
  nextJobSeq: number;
  attempt: number;
  visit: number;
  resumeAt?: number;
  progress?: Progress;
  outcome: Outcome;
  lastError?: string;
  /** Ids of the last jobs that committed, this one included (kept short by the caller). */
  recentJobIds: string[];
  now: number;
  history: HistoryRecord;
  /** TTL of the run and its history, epoch seconds. */
  expiresAt: number;
  /**
   * The same for every try of this commit and unique to it (at most 36
   * characters): a store applies a retried commit once, and a retry whose
   * earlier try was applied (its answer lost) counts as committed.
   */
  commitToken?: string;
  /**
   * Set by a commit that ran no step (a hand-on or a bounce): the run's
   * `unfinishedClaims` less this invocation's own claim. The store keeps them
   * (as `unfinishedClaims` and `carriedClaims`, with `unfinishedSince`), so a
   * step that kills its process reaches the crash limit across jobs. Absent
   * or 0: the commit clears them.
   */
  unfinishedClaimsLeft?: number;
  /**
   * This invocation reports the outcome: stored as the run's `reportOwner`
   * (`owner`), `reportRequestId` and `reportUntil`, so a concurrent
   * delivery of the job leaves the report to it. Absent: cleared.
   */
  reporting?: { until: number; requestId?: string };
}

/** What taking over the report of a committed outcome writes. */
export interface ReportTakeOver {
  runId: string;
  /** The `reportOwner` this delivery found (a dead attempt of the same Lambda request). */
  from: string;
  /** Random id of this invocation: the new `reportOwner`. */
  owner: string;
  /** Lambda request id of this invocation. */
  requestId?: string;
  /** Epoch ms when this invocation ends: the new `reportUntil`. */
  until: number;
}

/** What marking a run `abandoned` writes. */
export interface AbandonRequest {
  runId: string;
  reason: AbandonReason;
  detail: string;
  /** Epoch ms: `abandonedAt`. */
  now: number;
  /**
   * The run's `updatedAt` when the decision was made: the run is marked only
   * if nothing claimed or committed it since (and no live lease holds it).
   */
  ifUpdatedAt: number;
  /**
   * Mark only while the run's `reportOwner` is this: the committer marks its
   * run after CodePipeline refused its first report, unless a retry of it
   * took the report over meanwhile (and may have been answered first).
   */
  ifReportOwner?: string;
}

/** A run and its history, as read back. */
export interface StoredRun {
  run: RunRecord;
  /** One record per committed invocation, in `jobSeq` order. */
  history: HistoryRecord[];
}

/**
 * Where runs live: the engine's port to persistence. `DynamoDBRunStore` is the
 * production adapter; every implementation must pass the store contract suite
 * (`runStoreContract` in `@baton/testing`), which spells these semantics out
 * case by case.
 *
 * @example
 * ```ts
 * const store: RunStore = new DynamoDBRunStore({ tableName: 'baton', client: new DynamoDBClient({}) });
 * ```
 */
export interface RunStore {
  /**
   * Claims the run for one invocation in one atomic step: creates it (first
   * job) or takes its lease, only when `claim/claim-rule.ts` allows it, and
   * adds one to `unfinishedClaims` (setting `unfinishedSince` if unset), and
   * sets `replyBy` from the request if unset. On
   * refusal it returns the run as it was, unchanged.
   */
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /**
   * Writes an invocation's work, its outcome and its history record
   * atomically, only while `owner` holds the lease on `jobSeq`; from then on
   * `getRun` returns the record, whatever fails later. Clears the lease and
   * `leaseStep`,
   * and `nextJobId`/`replyBy` when the run moves to the next `jobSeq`. Sets
   * `reportOwner`/`reportRequestId`/`reportUntil` from `reporting` (clears
   * them without it). Clears
   * `unfinishedClaims`/`unfinishedSince`/`carriedClaims`, unless the request
   * has an `unfinishedClaimsLeft` above 0: then sets `unfinishedClaims` and
   * `carriedClaims` to it and keeps `unfinishedSince`.
   *
   * A repeat of a request with a `commitToken` that was applied (its answer
   * lost) returns `true` and changes nothing.
   *
   * @returns `false` when the lease was lost (another invocation took over).
   */
  commit(request: CommitRequest): Promise<boolean>;
  /**
   * Sets `leaseClaimedAt` to `now` (and `leaseStep` to `running` when given)
   * while `owner` holds the lease. A claim leaves `leaseStep` as it is.
   *
   * @returns `false` when the lease is no longer `owner`'s.
   */
  renewLease(runId: string, owner: string, now: number, running?: RunningStep): Promise<boolean>;
  /**
   * Clears `owner`'s lease and `leaseStep` (and sets `lastError` when given);
   * a lease already gone is fine.
   */
  releaseLease(runId: string, owner: string, extra?: { lastError?: string }): Promise<void>;
  /**
   * Makes `owner` the reporter of the run's committed outcome (sets
   * `reportOwner`, `reportRequestId`, `reportUntil`), only while
   * `reportOwner` is still `from`.
   *
   * @returns `false` when another invocation took the report first or a
   * commit replaced it
   */
  takeOverReport(request: ReportTakeOver): Promise<boolean>;
  /**
   * Marks the run `abandoned` with its reason, detail and time, only while its
   * `updatedAt` is still `ifUpdatedAt`, no live lease holds it (`leaseUntil`
   * before `now`), it is not already abandoned, and, when `ifReportOwner` is
   * given, `reportOwner` is that. Leaves the rest as it is.
   *
   * @returns `false` when the condition did not hold (or there is no such run)
   */
  abandon(request: AbandonRequest): Promise<boolean>;
  /**
   * The run item alone (no history), read with a request the function's
   * least-privilege policy allows, changing nothing. For the engine's rare
   * paths (a job whose parameters this deployment refuses), never the
   * happy path.
   *
   * @returns `undefined` when there is no such run
   */
  peekRun(runId: string): Promise<RunRecord | undefined>;
  /** The run and its history, or `undefined` when there is no such run. */
  getRun(runId: string): Promise<StoredRun | undefined>;
  /**
   * Every run, or only those stored with `status` (for operators and the
   * sweep; order unspecified). With `status`, a run that moves to another
   * status while it is listed may be left out.
   */
  listRuns(options?: ListRunsOptions): AsyncIterable<RunRecord>;
}

/** Options of `RunStore.listRuns`. */
export interface ListRunsOptions {
  /** At most this many runs. @default no limit */
  limit?: number;
  /** Only runs stored with this status. @default every status */
  status?: RunStatus;
}
