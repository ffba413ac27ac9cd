import type { FailureType } from '../job/transitions.js';

/** Status of a run as stored. */
export const RunStatus = {
  Running: 'running',
  Succeeded: 'succeeded',
  Failed: 'failed',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

/** Progress shown in the console while a run is in progress. */
export interface Progress {
  percentComplete?: number;
  summary?: string;
}

/**
 * The result Baton reports for one job, committed before it is sent so a
 * redelivery of that job can re-send it unchanged.
 */
export type Outcome =
  | {
      kind: 'continue';
      /** The job this outcome answers. */
      jobId: string;
      /** Sequence of that job. */
      sequence: number;
      continuationToken: string;
      percentComplete?: number;
      summary?: string;
    }
  | {
      kind: 'succeed';
      jobId: string;
      sequence: number;
      outputVariables?: Record<string, string>;
      summary?: string;
    }
  | {
      kind: 'fail';
      jobId: string;
      sequence: number;
      failureType: FailureType;
      message: string;
    };

/** The run as stored in its `run` item. */
export interface RunRecord {
  runId: string;
  jobName: string;
  firstJobId: string;
  status: RunStatus;
  /** Step to run next (or the last step, once finished). */
  step: string;
  /** State as JSON; absent until the first commit. */
  stateJson?: string;
  /** Sequence of the job expected next (0 for the first job). */
  sequence: number;
  /** The job that claimed `sequence`, once one has. */
  sequenceJobId?: string;
  nonce: string;
  /** Attempt of the current step, from 1. */
  attempt: number;
  /** Visit counter of the current step: part of the idempotency key. */
  visit: number;
  /** Epoch ms before which the current step must not run (waits, retry delays). */
  resumeAt?: number;
  progress?: Progress;
  leaseOwner?: string;
  leaseUntil?: number;
  /** Lambda request id of the lease holder: Lambda keeps it across its retries. */
  leaseRequestId?: string;
  /** Epoch ms when the lease was taken. */
  leaseClaimedAt?: number;
  outcome?: Outcome;
  /** Last error a step threw, for people debugging a run. */
  lastError?: string;
  createdAt: number;
  updatedAt: number;
  /** Epoch ms after which the run fails. */
  deadlineAt: number;
  /** Ids of the last jobs that committed (newest last), to tell a stale redelivery from a reused token. */
  recentJobIds?: string[];
  /** Number of history items written. */
  historyCount: number;
  /** TTL, epoch seconds. */
  expiresAt: number;
}

/** One transition in a run's history. */
export interface HistoryEntry {
  /** Epoch ms. */
  at: number;
  step: string;
  attempt: number;
  /** What happened: goTo, wait, succeed, fail, error, resume-later, deadline. */
  outcome: string;
  /** Details: target step, wait seconds, error message, … */
  detail?: string;
}

/** One invocation's committed history (one item per committed sequence). */
export interface HistoryRecord {
  runId: string;
  sequence: number;
  jobId: string;
  requestId?: string;
  startedAt: number;
  committedAt: number;
  entries: HistoryEntry[];
  /** Entries dropped because one invocation ran more than the cap. */
  droppedEntries?: number;
}
