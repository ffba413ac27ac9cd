import type { AbandonReason, HistoryRecord, Progress, RunStatus } from '@baton/core';
import { jobNumberOf } from './job-number.js';
import type { ShownOutcome, ShownRun } from './shown-run.js';
import { diagnoseStuck, type StuckDiagnosis } from './stuck-run.js';
import { shortenToken } from './text-format.js';

/** Status of a run as `baton runs` shows it: the stored one, or `stuck`. */
export const RunDisplayStatus = {
  Running: 'running',
  Succeeded: 'succeeded',
  Failed: 'failed',
  /** CodePipeline no longer accepts the run's job; nothing will move it. */
  Abandoned: 'abandoned',
  /** Stored as running, but nothing is moving it (see `diagnoseStuck`). */
  Stuck: 'stuck',
} as const;
export type RunDisplayStatus = (typeof RunDisplayStatus)[keyof typeof RunDisplayStatus];

/** The outcome a run committed last, without anything secret. */
export interface OutcomeView {
  kind: ShownOutcome['kind'];
  /** Absent when not read (`runs list` reads only what it shows). */
  jobId?: string;
  /** The job it answers, numbered from 1 as `baton local` numbers jobs. */
  jobNumber?: number;
  summary?: string;
  percentComplete?: number;
  /** Shortened: the full token carries the run's nonce. */
  continuationToken?: string;
  outputVariables?: Record<string, string>;
  failureType?: string;
  message?: string;
}

/** What `baton runs` shows of a run. Times are epoch milliseconds. */
export interface RunView {
  runId: string;
  jobName: string;
  status: RunDisplayStatus;
  storedStatus: RunStatus;
  step: string;
  /**
   * The job expected next (the last job, once finished), numbered from 1 as
   * `baton local` and the emulator number jobs.
   */
  jobNumber: number;
  attempt: number;
  /** Absent when not read (`runs list` reads only what it shows). */
  firstJobId?: string;
  lease?: { owner: string; requestId?: string; until: number; expired: boolean };
  resumeAt?: number;
  lastError?: string;
  progress?: Progress;
  outcome?: OutcomeView;
  createdAt: number;
  updatedAt: number;
  deadlineAt: number;
  expiresAt: number;
  /** Absent when not read (`runs list` reads only what it shows). */
  historyCount?: number;
  stuck?: StuckDiagnosis;
  /** Why and when the run was marked abandoned. */
  abandoned?: { reason: AbandonReason; detail: string; at: number };
}

/**
 * What `baton runs` shows of a stored run at time `now`: its status (`stuck`
 * when {@link diagnoseStuck} says so), lease, progress and outcome. The
 * run's nonce and full continuation token are left out.
 *
 * @example
 * ```ts
 * const view = toRunView(run, Date.now());
 * if (view.status === 'stuck') console.log(view.stuck?.advice);
 * ```
 */
export function toRunView(run: ShownRun, now: number): RunView {
  const stuck = diagnoseStuck(run, now);
  return {
    runId: run.runId,
    jobName: run.jobName,
    status: stuck ? RunDisplayStatus.Stuck : run.status,
    storedStatus: run.status,
    step: run.step,
    jobNumber: jobNumberOf(run.nextJobSeq),
    attempt: run.attempt,
    ...(run.firstJobId === undefined ? {} : { firstJobId: run.firstJobId }),
    ...(run.leaseOwner !== undefined && run.leaseUntil !== undefined
      ? {
          lease: {
            owner: run.leaseOwner,
            ...(run.leaseRequestId ? { requestId: run.leaseRequestId } : {}),
            until: run.leaseUntil,
            expired: run.leaseUntil < now,
          },
        }
      : {}),
    ...(run.resumeAt === undefined ? {} : { resumeAt: run.resumeAt }),
    ...(run.lastError === undefined ? {} : { lastError: run.lastError }),
    ...(run.progress === undefined ? {} : { progress: run.progress }),
    ...(run.outcome === undefined ? {} : { outcome: toOutcomeView(run.outcome) }),
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    deadlineAt: run.deadlineAt,
    expiresAt: run.expiresAt * 1000,
    ...(run.historyCount === undefined ? {} : { historyCount: run.historyCount }),
    ...(stuck ? { stuck } : {}),
    ...(run.status === 'abandoned'
      ? {
          abandoned: {
            reason: run.abandonReason ?? 'no-reply',
            detail: run.abandonDetail ?? '',
            at: run.abandonedAt ?? run.updatedAt,
          },
        }
      : {}),
  };
}

function toOutcomeView(outcome: ShownOutcome): OutcomeView {
  // Only what was read: `runs list` reads the kind and the job alone.
  const view: OutcomeView = { kind: outcome.kind };
  if (outcome.jobId !== undefined) view.jobId = outcome.jobId;
  if (outcome.jobSeq !== undefined) view.jobNumber = jobNumberOf(outcome.jobSeq);
  if (outcome.continuationToken !== undefined) {
    view.continuationToken = shortenToken(outcome.continuationToken);
  }
  if (outcome.percentComplete !== undefined) view.percentComplete = outcome.percentComplete;
  if (outcome.summary !== undefined) view.summary = outcome.summary;
  if (outcome.outputVariables !== undefined) view.outputVariables = outcome.outputVariables;
  if (outcome.failureType !== undefined) view.failureType = outcome.failureType;
  if (outcome.message !== undefined) view.message = outcome.message;
  return view;
}

/**
 * A run view as JSON for scripts: times as ISO 8601 strings, the state parsed,
 * and, when given, the history.
 *
 * @example
 * ```ts
 * JSON.stringify(runViewJson(toRunView(run, now), { stateJson: run.stateJson, history }));
 * ```
 */
export function runViewJson(
  view: RunView,
  extra: { stateJson?: string; history?: readonly HistoryRecord[] } = {},
): Record<string, unknown> {
  const iso = (ms: number | undefined) =>
    ms === undefined ? undefined : new Date(ms).toISOString();
  return {
    ...view,
    lease: view.lease ? { ...view.lease, until: iso(view.lease.until) } : undefined,
    resumeAt: iso(view.resumeAt),
    createdAt: iso(view.createdAt),
    updatedAt: iso(view.updatedAt),
    deadlineAt: iso(view.deadlineAt),
    expiresAt: iso(view.expiresAt),
    stuck: view.stuck ? { ...view.stuck, since: iso(view.stuck.since) } : undefined,
    abandoned: view.abandoned ? { ...view.abandoned, at: iso(view.abandoned.at) } : undefined,
    ...(extra.stateJson === undefined ? {} : { state: parseState(extra.stateJson) }),
    ...(extra.history
      ? {
          history: extra.history.map(({ jobSeq, ...record }) => ({
            jobNumber: jobNumberOf(jobSeq),
            ...record,
            startedAt: iso(record.startedAt),
            committedAt: iso(record.committedAt),
            entries: record.entries.map((entry) => ({ ...entry, at: iso(entry.at) })),
          })),
        }
      : {}),
  };
}

function parseState(stateJson: string): unknown {
  try {
    return JSON.parse(stateJson);
  } catch {
    return stateJson;
  }
}
