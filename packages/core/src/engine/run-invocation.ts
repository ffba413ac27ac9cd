import { randomUUID } from 'node:crypto';
import { ConfigurationError } from '../errors.js';
import { type ParsedJobEvent, parseJobEvent, readJobId } from '../event/job-event.js';
import type { Job } from '../job/define-job.js';
import { parseParams } from '../job/parse-params.js';
import { retryDelaySeconds } from '../job/retry-policy.js';
import { FailureType, type Transition } from '../job/transitions.js';
import type { LambdaContext } from '../lambda/lambda-context.js';
import type { Logger } from '../logging/logger.js';
import { redactingLogger, redactText } from '../logging/redacting-logger.js';
import { CodePipelineLimits, fitText, outputVariablesProblem } from '../pipeline/limits.js';
import type { Reporter, ReportStatus } from '../pipeline/reporter.js';
import type { HistoryEntry, Outcome, Progress, RunRecord } from '../store/run-record.js';
import type { RunStore } from '../store/run-store.js';
import { decodeToken, encodeToken, newNonce, runIdForJob } from '../token/continuation-token.js';
import { type Clock, systemClock } from './clock.js';
import { runStep } from './run-step.js';

/** Job ids a run remembers, to tell a stale redelivery from a reused token. */
const RECENT_JOB_IDS = 20;

/** Default of `retryTakeoverAfterMs`. */
export const DEFAULT_RETRY_TAKEOVER_AFTER_MS = 50_000;

/** What one invocation did. */
export const InvocationResultKind = {
  /** Ran the run (steps, or a wait not yet over) and reported a new outcome. */
  Reported: 'reported',
  /** Duplicate of a job already committed: its stored outcome was sent again. */
  Resent: 'resent',
  /** Duplicate of a job another live invocation holds: returned quietly. */
  InProgress: 'in-progress',
  /** A job of an older sequence: returned quietly. */
  Stale: 'stale',
  /** Bad configuration or token: reported as `ConfigurationError`. */
  Rejected: 'rejected',
  /** The lease was taken over before the commit: nothing reported. */
  LeaseLost: 'lease-lost',
} as const;
export type InvocationResultKind = (typeof InvocationResultKind)[keyof typeof InvocationResultKind];

/** The result of {@link runInvocation}. */
export interface InvocationResult {
  kind: InvocationResultKind;
  jobId: string;
  runId?: string;
  /** The outcome reported (or re-sent). */
  outcome?: Outcome;
  reportStatus?: ReportStatus;
  /** Step handlers called in this invocation. */
  stepsRun: number;
}

/** What the engine needs around a job. */
export interface EngineDependencies {
  store: RunStore;
  reporter: Reporter;
  logger: Logger;
  /** @default the system clock */
  clock?: Clock;
  /**
   * Time kept free at the end of the invocation for the commit and the report, in ms.
   * @default min(3000, a quarter of the invocation's time)
   */
  safetyMarginMs?: number;
  /**
   * Days a run's items are kept after their last write (DynamoDB TTL).
   * @default 30
   */
  retentionDays?: number;
  /**
   * A delivery with the lease holder's Lambda request id is taken for Lambda's
   * retry of a dead attempt, and takes the lease over, once the lease is at
   * least this old. Lambda retries a failed attempt about a minute after it
   * ended; a duplicate of a live delivery comes sooner and returns quietly.
   * Tests that compress time set it to 0.
   * @default 50000
   */
  retryTakeoverAfterMs?: number;
}

/**
 * Runs one invocation of the run protocol: parse, identify, claim, run steps,
 * commit, report.
 *
 * @example
 * ```ts
 * const result = await runInvocation(job, event, context, { store, reporter, logger });
 * ```
 */
export async function runInvocation<S extends object, P>(
  job: Job<S, P>,
  event: unknown,
  context: LambdaContext,
  deps: EngineDependencies,
): Promise<InvocationResult> {
  const clock = deps.clock ?? systemClock;
  const startedAt = clock.now();
  const remaining = context.getRemainingTimeInMillis();
  const invocationDeadline = startedAt + remaining;
  const margin = deps.safetyMarginMs ?? Math.min(3000, Math.floor(remaining / 4));
  const budgetEnd = invocationDeadline - margin;
  // Reports stop retrying this long before the deadline, so the invocation
  // ends by itself (a throw lets Lambda retry; a timeout would too, later).
  const reportGuard = Math.min(1000, Math.floor(remaining / 10));

  // 1. Parse. Without a job id nothing can be reported: this throws.
  const jobId = readJobId(event);
  const secrets = secretsOf(event);
  const logger = redactingLogger(deps.logger, secrets);
  const log = scoped(logger, { jobId, job: job.name, requestId: context.awsRequestId });
  const reject = async (error: ConfigurationError, runId?: string): Promise<InvocationResult> => {
    log.warn('rejecting job: configuration error', { runId, error: error.message });
    const outcome: Outcome = {
      kind: 'fail',
      jobId,
      sequence: 0,
      failureType: 'ConfigurationError',
      message:
        fitText(error.message, CodePipelineLimits.failureMessageMax) ?? 'configuration error',
    };
    const reportStatus = await deps.reporter.report(
      outcome,
      runId ?? jobId,
      invocationDeadline - reportGuard - clock.now(),
    );
    return { kind: 'rejected', jobId, runId, outcome, reportStatus, stepsRun: 0 };
  };

  let parsed: ParsedJobEvent;
  let params: P;
  let runId: string;
  let sequence = 0;
  let nonce: string | undefined;
  try {
    parsed = await parseJobEvent(event);
  } catch (err) {
    if (err instanceof ConfigurationError) return reject(err);
    throw err;
  }
  // 2. Identify the run. Token and parameters are both checked, so one report
  // names every problem of the job's configuration.
  const problems: ConfigurationError[] = [];
  if (parsed.continuationToken === undefined) {
    runId = runIdForJob(jobId);
  } else {
    try {
      const token = decodeToken(parsed.continuationToken);
      runId = token.runId;
      sequence = token.sequence;
      nonce = token.nonce;
    } catch (err) {
      if (!(err instanceof ConfigurationError)) throw err;
      problems.push(err);
      runId = jobId;
    }
  }
  try {
    params = await parseParams(job, parsed.userParameters);
  } catch (err) {
    if (!(err instanceof ConfigurationError)) throw err;
    problems.push(err);
    params = undefined as P;
  }
  if (problems.length > 0) {
    return reject(
      problems.length === 1
        ? (problems[0] as ConfigurationError)
        : new ConfigurationError(problems.map((p) => p.message).join('; also, ')),
    );
  }

  // 3. Claim.
  const owner = randomUUID();
  const claimRequest = {
    runId,
    jobId,
    sequence,
    owner,
    leaseUntil: invocationDeadline,
    now: clock.now(),
    ...(context.awsRequestId ? { requestId: context.awsRequestId } : {}),
    ...(nonce === undefined
      ? {
          create: {
            jobName: job.name,
            firstStep: job.firstStep,
            nonce: newNonce(),
            deadlineAt: startedAt + job.deadlineSeconds * 1000,
            expiresAt: ttlFrom(startedAt, deps.retentionDays),
          },
        }
      : { nonce }),
  };
  let claim = await deps.store.claim(claimRequest);
  if (!claim.claimed && claim.current?.leaseOwner === owner) {
    // The claim was applied but its answer lost; the SDK's retry then failed
    // its own condition. The lease is this invocation's.
    claim = { claimed: true, run: claim.current };
  }
  if (!claim.claimed) {
    const current = claim.current;
    const decision = decideConflict(current, {
      jobId,
      sequence,
      nonce,
      requestId: context.awsRequestId,
      now: clock.now(),
      takeoverAfterMs: deps.retryTakeoverAfterMs ?? DEFAULT_RETRY_TAKEOVER_AFTER_MS,
    });
    const runLog = scoped(log, { runId, sequence });
    switch (decision.kind) {
      case 'reject':
        return reject(new ConfigurationError(decision.message), runId);
      case 'resend': {
        const outcome = current?.outcome as Outcome;
        runLog.info('duplicate of a committed job: re-sending its outcome', {
          outcome: outcome.kind,
        });
        const reportStatus = await deps.reporter.report(
          outcome,
          runId,
          invocationDeadline - reportGuard - clock.now(),
        );
        return { kind: 'resent', jobId, runId, outcome, reportStatus, stepsRun: 0 };
      }
      case 'stale':
        runLog.info('stale job of an older sequence: nothing to do', {
          runSequence: current?.sequence,
        });
        return { kind: 'stale', jobId, runId, stepsRun: 0 };
      case 'in-progress':
        runLog.info('duplicate of a job another invocation is running: returning quietly');
        return { kind: 'in-progress', jobId, runId, stepsRun: 0 };
      case 'take-over':
        // Lambda retried this same request: the holder is dead, its lease is ours.
        runLog.warn('taking over the lease of a failed attempt of this request');
        claim = await deps.store.claim({
          ...claimRequest,
          now: clock.now(),
          takeOverFrom: decision.previousOwner,
        });
        if (!claim.claimed && claim.current?.leaseOwner === owner) {
          claim = { claimed: true, run: claim.current }; // applied, answer lost
        }
        if (!claim.claimed) {
          runLog.info('lease taken by another invocation meanwhile: returning quietly');
          return { kind: 'in-progress', jobId, runId, stepsRun: 0 };
        }
        break;
    }
  }
  if (!claim.claimed) throw new Error('unreachable: claim not held');
  const run = claim.run;

  // 4–6. Run, commit, report. Any unexpected error releases the lease first.
  try {
    return await runClaimed(job, run, parsed, params, {
      deps,
      clock,
      log: scoped(log, { runId, sequence }),
      owner,
      jobId,
      requestId: context.awsRequestId,
      startedAt,
      budgetEnd,
      invocationDeadline,
      // Short function timeouts still run a step per invocation.
      minStepBudgetMs: Math.min(1000, Math.max(0, budgetEnd - startedAt) / 2),
      reportGuard,
      // Well inside the age at which a same-request delivery takes the lease over.
      heartbeatMs: Math.max(1, (deps.retryTakeoverAfterMs ?? DEFAULT_RETRY_TAKEOVER_AFTER_MS) / 2),
      secrets,
    });
  } catch (err) {
    if (!(err instanceof Error && err.name === 'ReportError')) {
      await deps.store
        .releaseLease(run.runId, owner, { lastError: errorText(err, secrets) })
        .catch((releaseErr: unknown) =>
          log.error('could not release the lease', { runId, error: releaseErr }),
        );
    }
    throw err;
  }
}

interface ClaimedContext {
  deps: EngineDependencies;
  clock: Clock;
  log: Logger;
  owner: string;
  jobId: string;
  requestId: string | undefined;
  startedAt: number;
  budgetEnd: number;
  invocationDeadline: number;
  /** Below this much budget no step is started (half the budget, at most 1 s). */
  minStepBudgetMs: number;
  /** After this long without renewing its lease, the invocation renews it before a step. */
  heartbeatMs: number;
  /** Time kept free after the last report attempt. */
  reportGuard: number;
  secrets: string[];
}

async function runClaimed<S extends object, P>(
  job: Job<S, P>,
  run: RunRecord,
  parsed: ParsedJobEvent,
  params: P,
  c: ClaimedContext,
): Promise<InvocationResult> {
  const { clock, log } = c;
  const history: HistoryEntry[] = [];
  let step = run.step;
  let attempt = run.attempt;
  let visit = run.visit;
  let resumeAt = run.resumeAt;
  let progress: Progress | undefined = run.progress;
  let lastError = run.lastError;
  let stateJson = run.stateJson;
  let stepsRun = 0;
  let lastHeartbeat = c.startedAt;
  let final: Outcome | undefined;
  const record = (outcome: string, detail?: string) =>
    history.push({ at: clock.now(), step, attempt, outcome, ...(detail ? { detail } : {}) });
  const failWith = (message: string, failureType: FailureType = 'JobFailed'): Outcome => ({
    kind: 'fail',
    jobId: c.jobId,
    sequence: run.sequence,
    failureType,
    message: fitText(message, CodePipelineLimits.failureMessageMax) ?? failureType,
  });

  for (;;) {
    const now = clock.now();
    if (now >= run.deadlineAt) {
      const message =
        `job ${job.name} passed its deadline of ${job.deadlineSeconds} s ` +
        `(run ${run.runId} started ${new Date(run.createdAt).toISOString()}) while at step '${step}'`;
      record('deadline', message);
      final = failWith(message);
      break;
    }
    if (resumeAt !== undefined && resumeAt > now) {
      const delay = resumeAt - now;
      const budgetLeft = c.budgetEnd - now;
      if (delay <= job.maxInlineWaitSeconds * 1000 && delay < budgetLeft - 1000) {
        await clock.sleep(delay);
        continue;
      }
      // A bounce (nothing ran) is worth a history line; the end of a wait is not.
      if (history.length === 0)
        record('resume-later', `resumes at ${new Date(resumeAt).toISOString()}`);
      break; // continuation
    }
    if (c.budgetEnd - now <= 0 || c.budgetEnd - now < c.minStepBudgetMs) break; // too little time to start a step: continuation

    let state: S;
    try {
      state = stateJson === undefined ? job.initialState(params) : (JSON.parse(stateJson) as S);
      stateJson ??= serializeState(state, job.maxStateBytes, 'the initial state');
    } catch (err) {
      final = failWith(`job ${job.name}: ${(err as Error).message}`);
      break;
    }
    if (clock.now() - lastHeartbeat >= c.heartbeatMs) {
      // A long invocation (steps, inline waits) proves it is alive before a step, and
      // stops if a Lambda retry took its lease meanwhile: it must not run
      // steps the other invocation may already have committed.
      if (!(await c.deps.store.renewLease(run.runId, c.owner, clock.now()))) {
        log.warn('lease taken over by another invocation; stopping before the next step');
        return { kind: 'lease-lost', jobId: c.jobId, runId: run.runId, stepsRun };
      }
      lastHeartbeat = clock.now();
    }
    stepsRun += 1;
    const stepLog = scoped(log, { step, attempt });
    stepLog.debug('running step');
    const result = await runStep(
      job,
      {
        runId: run.runId,
        jobId: c.jobId,
        step,
        attempt,
        sequence: run.sequence,
        state,
        params,
        userParameters: parsed.userParameters,
        inputArtifacts: parsed.inputArtifacts,
        outputArtifacts: parsed.outputArtifacts,
        artifactCredentials: parsed.artifactCredentials,
        logger: stepLog,
        idempotencyKey: `${run.runId}:${step}:${visit}`,
      },
      c.budgetEnd,
      clock,
    );
    if (!result.ok) {
      const policy = job.retryPolicy(step);
      const message = errorText(result.error, c.secrets);
      lastError = message;
      const nonRetryable =
        !result.retryable || policy.nonRetryableErrors.includes(result.error.name);
      if (nonRetryable || attempt >= policy.maximumAttempts) {
        record('error', message);
        const why = nonRetryable
          ? `step '${step}' failed with a non-retryable error`
          : `step '${step}' failed after ${attempt} attempt${attempt === 1 ? '' : 's'}`;
        stepLog.error(why, { error: result.error });
        final = failWith(`${why}: ${message}`);
        break;
      }
      const delay = retryDelaySeconds(policy, attempt);
      record('error', `${message}; retry in ${delay} s`);
      stepLog.warn('step failed; will retry', { error: result.error, retryInSeconds: delay });
      attempt += 1;
      resumeAt = clock.now() + delay * 1000;
      continue;
    }

    const t = result.transition as Transition<Record<string, unknown>>;
    const problem = transitionProblem(t);
    if (problem) {
      record('fail', problem);
      final = failWith(`step '${step}' returned ${t.kind}() ${problem}`);
      break;
    }
    if (t.kind === 'succeed') {
      const problem = outputVariablesProblem(t.outputVariables);
      if (problem) {
        record('fail', problem);
        final = failWith(`step '${step}' succeeded with unusable output: ${problem}`);
        break;
      }
      record('succeed', fitText(t.summary, 200));
      final = {
        kind: 'succeed',
        jobId: c.jobId,
        sequence: run.sequence,
        ...(t.outputVariables && Object.keys(t.outputVariables).length > 0
          ? { outputVariables: { ...t.outputVariables } }
          : {}),
        ...optionalSummary(t.summary),
      };
      break;
    }
    if (t.kind === 'fail') {
      const type = t.type ?? 'JobFailed';
      record('fail', fitText(t.message, 200));
      final = failWith(t.message || `step '${step}' failed`, type);
      break;
    }
    // goTo or wait: both may update the state and change the step.
    const nextStep = t.kind === 'goTo' ? t.step : (t.step ?? step);
    if (job.handler(nextStep) === undefined) {
      const message = `step '${step}' returned ${t.kind} to unknown step '${nextStep}' (steps: ${job.stepNames.join(', ')})`;
      record('fail', message);
      final = failWith(message);
      break;
    }
    if (t.state !== undefined) {
      try {
        stateJson = serializeState(
          { ...state, ...t.state },
          job.maxStateBytes,
          `the state after step '${step}'`,
        );
      } catch (err) {
        record('fail', (err as Error).message);
        final = failWith(`job ${job.name}: ${(err as Error).message}`);
        break;
      }
    }
    if (t.kind === 'wait') {
      if (!(Number.isFinite(t.seconds) && t.seconds >= 0)) {
        final = failWith(
          `step '${step}' returned wait() with seconds=${t.seconds}; expected a number ≥ 0`,
        );
        break;
      }
      if (
        t.percentComplete !== undefined &&
        !(Number.isInteger(t.percentComplete) && t.percentComplete >= 0 && t.percentComplete <= 100)
      ) {
        final = failWith(
          `step '${step}' returned wait() with percentComplete=${t.percentComplete}; expected an integer 0–100`,
        );
        break;
      }
      record('wait', `${t.seconds} s${t.summary ? `: ${fitText(t.summary, 200)}` : ''}`);
      progress = {
        ...(t.percentComplete === undefined ? {} : { percentComplete: t.percentComplete }),
        ...optionalSummary(t.summary),
      };
      resumeAt = clock.now() + t.seconds * 1000;
      if (nextStep !== step) visit += 1;
    } else {
      record('goTo', nextStep);
      resumeAt = undefined;
      visit += 1;
    }
    step = nextStep;
    attempt = 1;
    lastError = undefined;
  }

  if (final) {
    // A finished run waits for nothing; its last progress is its end.
    resumeAt = undefined;
    if (final.kind === 'succeed') {
      progress = {
        percentComplete: 100,
        ...(final.summary === undefined ? {} : { summary: final.summary }),
      };
    }
  }
  const nextSequence = final ? run.sequence : run.sequence + 1;
  const draft: Outcome = final ?? {
    kind: 'continue',
    jobId: c.jobId,
    sequence: run.sequence,
    continuationToken: encodeToken({ runId: run.runId, sequence: nextSequence, nonce: run.nonce }),
    ...(progress?.percentComplete === undefined
      ? {}
      : { percentComplete: progress.percentComplete }),
    ...optionalSummary(progress?.summary ?? `running step '${step}'`),
  };
  // Nothing derived from the event's credentials is stored or reported.
  const outcome = redactOutcome(draft, c.secrets);
  if (stateJson !== undefined) stateJson = redactText(stateJson, c.secrets);
  if (progress?.summary !== undefined)
    progress = { ...progress, summary: redactText(progress.summary, c.secrets) };
  for (const entry of history) if (entry.detail) entry.detail = redactText(entry.detail, c.secrets);
  const now = clock.now();
  // 5. Commit.
  const committed = await c.deps.store.commit({
    runId: run.runId,
    owner: c.owner,
    sequence: run.sequence,
    status:
      outcome.kind === 'continue' ? 'running' : outcome.kind === 'succeed' ? 'succeeded' : 'failed',
    step,
    ...(stateJson === undefined ? {} : { stateJson }),
    nextSequence,
    attempt,
    visit,
    ...(resumeAt === undefined ? {} : { resumeAt }),
    ...(progress === undefined ? {} : { progress }),
    ...(lastError === undefined ? {} : { lastError }),
    recentJobIds: [...(run.recentJobIds ?? []), c.jobId].slice(-RECENT_JOB_IDS),
    outcome,
    now,
    expiresAt: ttlFrom(now, c.deps.retentionDays),
    history: {
      runId: run.runId,
      sequence: run.sequence,
      jobId: c.jobId,
      ...(c.requestId ? { requestId: c.requestId } : {}),
      startedAt: c.startedAt,
      committedAt: now,
      entries: history,
    },
  });
  if (!committed) {
    log.warn('lease lost before commit (another invocation took over); not reporting');
    return { kind: 'lease-lost', jobId: c.jobId, runId: run.runId, stepsRun };
  }
  log.info('committed', { outcome: outcome.kind, step, stepsRun, nextSequence });
  // 6. Report.
  const reportStatus = await c.deps.reporter.report(
    outcome,
    run.runId,
    c.invocationDeadline - c.reportGuard - clock.now(),
  );
  return { kind: 'reported', jobId: c.jobId, runId: run.runId, outcome, reportStatus, stepsRun };
}

type ConflictDecision =
  | { kind: 'reject'; message: string }
  | { kind: 'resend' }
  | { kind: 'stale' }
  | { kind: 'in-progress' }
  | { kind: 'take-over'; previousOwner: string };

/** Decides what a failed claim means, from the run as it was. */
function decideConflict(
  current: RunRecord | undefined,
  job: {
    jobId: string;
    sequence: number;
    nonce: string | undefined;
    requestId: string | undefined;
    now: number;
    takeoverAfterMs: number;
  },
): ConflictDecision {
  if (!current) {
    return {
      kind: 'reject',
      message:
        'continuationToken names a run this table does not hold: it was issued by another Baton ' +
        'deployment (another table) or the run expired',
    };
  }
  if (job.nonce !== undefined && current.nonce !== job.nonce) {
    return {
      kind: 'reject',
      message: `continuationToken does not match run ${current.runId}: wrong nonce (forged, or from another run)`,
    };
  }
  if (current.outcome?.jobId === job.jobId) return { kind: 'resend' };
  if (job.sequence < current.sequence) {
    // A redelivery of a job the run already answered is stale; a new job with
    // an old token is a token reused, and gets told so.
    if (current.recentJobIds === undefined || current.recentJobIds.includes(job.jobId)) {
      return { kind: 'stale' };
    }
    return {
      kind: 'reject',
      message: `continuationToken of sequence ${job.sequence} was already used: run ${current.runId} is at sequence ${current.sequence}${current.status === 'running' ? '' : ` and already ${current.status}`}`,
    };
  }
  if (current.status !== 'running') {
    return {
      kind: 'reject',
      message: `run ${current.runId} already ${current.status}; continuationToken of sequence ${job.sequence} cannot continue it`,
    };
  }
  if (job.sequence > current.sequence) {
    return {
      kind: 'reject',
      message: `continuationToken has sequence ${job.sequence} but run ${current.runId} is at ${current.sequence}: not a token Baton issued`,
    };
  }
  if (current.sequenceJobId !== undefined && current.sequenceJobId !== job.jobId) {
    return {
      kind: 'reject',
      message: `continuationToken of sequence ${job.sequence} was already used by job ${current.sequenceJobId}`,
    };
  }
  if (
    job.requestId !== undefined &&
    current.leaseRequestId === job.requestId &&
    current.leaseOwner !== undefined &&
    job.now - (current.leaseClaimedAt ?? 0) >= job.takeoverAfterMs
  ) {
    return { kind: 'take-over', previousOwner: current.leaseOwner };
  }
  return { kind: 'in-progress' };
}

const FAILURE_TYPES: ReadonlySet<string> = new Set(Object.values(FailureType));

/** What is wrong with a transition's fields, checked at run time (steps may be plain JS). */
function transitionProblem(t: Transition<Record<string, unknown>>): string | undefined {
  const summary = (t as { summary?: unknown }).summary;
  if (t.kind !== 'goTo' && summary !== undefined && typeof summary !== 'string') {
    return `with a summary of type ${typeof summary}; expected a string`;
  }
  if (
    (t.kind === 'goTo' || (t.kind === 'wait' && t.step !== undefined)) &&
    typeof t.step !== 'string'
  ) {
    return `with a step of type ${typeof t.step}; expected a step name`;
  }
  if (t.kind === 'fail') {
    if (t.type !== undefined && !FAILURE_TYPES.has(t.type)) {
      return `with type ${JSON.stringify(t.type)}; expected one of ${[...FAILURE_TYPES].join(', ')}`;
    }
    if (typeof t.message !== 'string') {
      return `with a message of type ${typeof t.message}; expected a string`;
    }
  }
  return undefined;
}

function serializeState(state: unknown, maxBytes: number, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(state);
  } catch (err) {
    throw new Error(`${what} is not JSON-serialisable: ${(err as Error).message}`, { cause: err });
  }
  if (json === undefined || !json.startsWith('{')) {
    throw new Error(`${what} must be a JSON object`);
  }
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > maxBytes) {
    throw new Error(
      `${what} is ${bytes} bytes of JSON, over the limit of ${maxBytes} bytes (maxStateBytes); keep large data outside the state (e.g. in S3) and store a reference`,
    );
  }
  return json;
}

function redactOutcome(outcome: Outcome, secrets: readonly string[]): Outcome {
  if (outcome.kind === 'fail') return { ...outcome, message: redactText(outcome.message, secrets) };
  const summary =
    outcome.summary === undefined ? {} : { summary: redactText(outcome.summary, secrets) };
  if (outcome.kind === 'continue') return { ...outcome, ...summary };
  const variables = outcome.outputVariables
    ? {
        outputVariables: Object.fromEntries(
          Object.entries(outcome.outputVariables).map(([k, v]) => [k, redactText(v, secrets)]),
        ),
      }
    : {};
  return { ...outcome, ...summary, ...variables };
}

function optionalSummary(summary: string | undefined): { summary?: string } {
  const text = fitText(summary, CodePipelineLimits.summaryMax);
  return text === undefined ? {} : { summary: text };
}

function ttlFrom(now: number, retentionDays = 30): number {
  return Math.floor(now / 1000) + retentionDays * 24 * 60 * 60;
}

/** String values of the event's artifact credentials, for redaction. */
function secretsOf(event: unknown): string[] {
  const creds = (
    (event as Record<string, Record<string, Record<string, unknown>>> | undefined)?.[
      'CodePipeline.job'
    ]?.data as Record<string, unknown> | undefined
  )?.artifactCredentials;
  if (!creds || typeof creds !== 'object') return [];
  return Object.values(creds).filter((v): v is string => typeof v === 'string');
}

function errorText(err: unknown, secrets: readonly string[]): string {
  let text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  for (const secret of secrets)
    if (secret.length >= 8) text = text.split(secret).join('[REDACTED]');
  return text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
}

function scoped(logger: Logger, attributes: Record<string, unknown>): Logger {
  const merge = (extra?: Record<string, unknown>) => ({ ...attributes, ...extra });
  return {
    debug: (m, a) => logger.debug(m, merge(a)),
    info: (m, a) => logger.info(m, merge(a)),
    warn: (m, a) => logger.warn(m, merge(a)),
    error: (m, a) => logger.error(m, merge(a)),
  };
}
