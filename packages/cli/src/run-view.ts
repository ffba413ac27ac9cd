import type {
  AbandonReason,
  HistoryRecord,
  Outcome,
  Progress,
  RunRecord,
  RunStatus,
} from '@baton/core';
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
  kind: Outcome['kind'];
  jobId: string;
  /** Sequence of the job it answers (0 = the first job). */
  sequence: number;
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
  /** Sequence of the job expected next (0 for the first job). */
  sequence: number;
  attempt: number;
  firstJobId: string;
  lease?: { owner: string; requestId?: string; until: number; expired: boolean };
  resumeAt?: number;
  lastError?: string;
  progress?: Progress;
  outcome?: OutcomeView;
  createdAt: number;
  updatedAt: number;
  deadlineAt: number;
  expiresAt: number;
  historyCount: number;
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
export function toRunView(run: RunRecord, now: number): RunView {
  const stuck = diagnoseStuck(run, now);
  return {
    runId: run.runId,
    jobName: run.jobName,
    status: stuck ? RunDisplayStatus.Stuck : run.status,
    storedStatus: run.status,
    step: run.step,
    sequence: run.nextJobSeq,
    attempt: run.attempt,
    firstJobId: run.firstJobId,
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
    historyCount: run.historyCount,
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

function toOutcomeView(outcome: Outcome): OutcomeView {
  const base = { kind: outcome.kind, jobId: outcome.jobId, sequence: outcome.jobSeq };
  switch (outcome.kind) {
    case 'continue':
      return {
        ...base,
        continuationToken: shortenToken(outcome.continuationToken),
        ...(outcome.percentComplete === undefined
          ? {}
          : { percentComplete: outcome.percentComplete }),
        ...(outcome.summary === undefined ? {} : { summary: outcome.summary }),
      };
    case 'succeed':
      return {
        ...base,
        ...(outcome.summary === undefined ? {} : { summary: outcome.summary }),
        ...(outcome.outputVariables ? { outputVariables: outcome.outputVariables } : {}),
      };
    case 'fail':
      return { ...base, failureType: outcome.failureType, message: outcome.message };
  }
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
          history: extra.history.map((record) => ({
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
