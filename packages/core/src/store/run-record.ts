import type { FailureType } from '../job/transitions.js';

/** Status of a run as stored. */
export const RunStatus = {
  Running: 'running',
  Succeeded: 'succeeded',
  Failed: 'failed',
  /**
   * CodePipeline no longer accepts the run's job (it timed the action out, a
   * person stopped it, or its 24 hours passed): no invocation will move it.
   * `abandonReason`, `abandonDetail` and `abandonedAt` say why and when.
   */
  Abandoned: 'abandoned',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

/** Why CodePipeline will no longer accept a run's job. */
export const AbandonReason = {
  /** A report of an outcome never sent before was answered `InvalidJobStateException`. */
  JobRefused: 'job-refused',
  /** No invocation touched the run for longer than CodePipeline waits for a reply. */
  NoReply: 'no-reply',
  /** The run passed its deadline and no invocation came to fail it. */
  DeadlinePassed: 'deadline-passed',
  /** CodePipeline's 24-hour limit of an action passed. */
  ActionLimit: 'action-limit',
} as const;
export type AbandonReason = (typeof AbandonReason)[keyof typeof AbandonReason];

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
      /** `jobSeq` of that job: its place in the run, 0 for the first job. */
      jobSeq: number;
      continuationToken: string;
      percentComplete?: number;
      summary?: string;
    }
  | {
      kind: 'succeed';
      jobId: string;
      jobSeq: number;
      outputVariables?: Record<string, string>;
      summary?: string;
    }
  | {
      kind: 'fail';
      jobId: string;
      jobSeq: number;
      failureType: FailureType;
      message: string;
    };

/**
 * The run as stored in its `run` item. This is where each field is defined.
 *
 * Jobs of a run are numbered by `jobSeq`: 0 for the first job, 1 for the job
 * carrying the first continuation token, and so on. The run's `nextJobSeq` is
 * the `jobSeq` it expects next; an outcome, a history item and a token each
 * name the `jobSeq` of the job they belong to.
 */
export interface RunRecord {
  /** 32 hex characters: a hash of the first job's id. */
  runId: string;
  /** `name` of the job definition. */
  jobName: string;
  /** The CodePipeline job that started the run. */
  firstJobId: string;
  /**
   * `running` until a `succeed` or `fail` outcome is committed; `abandoned`
   * once CodePipeline no longer accepts its job.
   */
  status: RunStatus;
  /** Step to run next (or the last step, once finished). */
  step: string;
  /** State as JSON; absent until the first commit. */
  stateJson?: string;
  /** `jobSeq` of the job expected next (0 until the first job commits). */
  nextJobSeq: number;
  /** The job that claimed `nextJobSeq`, once one has: no other job may claim it. */
  nextJobId?: string;
  /** 128 random bits (base64url) every continuation token of the run carries. */
  nonce: string;
  /** Attempt of the current step, from 1. */
  attempt: number;
  /** Visit counter of the current step: part of the idempotency key. */
  visit: number;
  /** Epoch ms before which the current step must not run (waits, retry delays). */
  resumeAt?: number;
  /** Progress last reported while running; `{ percentComplete: 100 }` once succeeded. */
  progress?: Progress;
  /** Random id of the invocation holding the lease; absent when no one holds it. */
  leaseOwner?: string;
  /** Epoch ms when the lease ends (the holder's invocation deadline). */
  leaseUntil?: number;
  /** Lambda request id of the lease holder: Lambda keeps it across its retries. */
  leaseRequestId?: string;
  /** Epoch ms when the lease was taken or last renewed. */
  leaseClaimedAt?: number;
  /** The last committed outcome: re-sent as is when its job is delivered again. */
  outcome?: Outcome;
  /**
   * Random id of the invocation that reports `outcome`: the one that
   * committed it, or a Lambda retry of it that took the report over
   * (`takeOverReport`). Until `reportUntil`, a delivery of the same job
   * leaves the report to it and returns quietly, so CodePipeline's answer
   * to its first report tells it whether the job still takes a result.
   */
  reportOwner?: string;
  /** Lambda request id of `reportOwner`: a delivery with it after it died takes the report over. */
  reportRequestId?: string;
  /** Epoch ms when `reportOwner`'s invocation ends: the report is its until then. */
  reportUntil?: number;
  /** Last error a step threw, for people debugging a run. */
  lastError?: string;
  /** Epoch ms of the first claim. */
  createdAt: number;
  /** Epoch ms of the last claim or commit. */
  updatedAt: number;
  /** Epoch ms after which the run fails. */
  deadlineAt: number;
  /** Ids of the last jobs that committed (newest last), to tell a stale redelivery from a reused token. */
  recentJobIds?: string[];
  /** Number of history items written. */
  historyCount: number;
  /**
   * W3C `traceparent` of the first invocation's span, when it was traced: later
   * invocations' spans link to it.
   */
  traceParent?: string;
  /** Epoch ms when the run was marked `abandoned`. */
  abandonedAt?: number;
  abandonReason?: AbandonReason;
  /** What happened, in words, when the run was marked `abandoned`. */
  abandonDetail?: string;
  /**
   * Claims since the last commit that ran a step, the current holder's
   * included: every claim adds one, a commit after a step clears it, and a
   * commit that ran no step (a hand-on, a bounce) takes off only its own
   * claim. More than one means invocations ended without committing
   * (crashes, timeouts, store errors), in this job or, carried by hand-ons
   * that ran no step, in earlier ones.
   */
  unfinishedClaims?: number;
  /** Epoch ms of the first of the `unfinishedClaims`. */
  unfinishedSince?: number;
  /**
   * The part of `unfinishedClaims` a commit that ran no step carried over
   * from earlier claims: a claim finding more than this plus its own follows
   * a crash that no claim has counted yet.
   */
  carriedClaims?: number;
  /**
   * The step the lease holder was running when it last wrote it (with a
   * lease renewal, or on moving to another step after a crash): a later
   * claim reads it to name the step a crashed holder was running. Cleared
   * by a commit, and by a release: a holder that gives its lease up after an
   * error of its own (its `lastError`) did not die in a step.
   */
  leaseStep?: RunningStep;
  /**
   * Epoch ms by which the job being run (`nextJobId`) must be answered:
   * CodePipeline's 20-minute reply window, counted from the job's first
   * claim. Set by that claim, kept by later claims of the same job, cleared
   * by the commit that hands the run on.
   */
  replyBy?: number;
  /**
   * `version` of the job definition that wrote the run: set by the claim that
   * creates it and by every commit that stores a state. Absent on runs
   * written before versions existed, which count as version 1.
   */
  jobVersion?: number;
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

/** One invocation's committed history (one item per committed `jobSeq`). */
export interface HistoryRecord {
  runId: string;
  /** `jobSeq` of the job whose invocation committed. */
  jobSeq: number;
  jobId: string;
  /** Lambda request id of that invocation. */
  requestId?: string;
  /** Epoch ms when the invocation started. */
  startedAt: number;
  /** Epoch ms of the commit. */
  committedAt: number;
  entries: HistoryEntry[];
  /** Entries dropped because one invocation ran more than the cap. */
  droppedEntries?: number;
}

/**
 * A step a lease holder runs, as `RunRecord.leaseStep` stores it.
 *
 * @example
 * ```ts
 * const running: RunningStep = { step: 'deploy', attempt: 1, claim: 2 };
 * ```
 */
export interface RunningStep {
  step: string;
  attempt: number;
  /**
   * The holder's `unfinishedClaims` as its claim returned it: the claim that
   * follows it finds one more, which tells the holder's record from an older one's.
   */
  claim: number;
}
