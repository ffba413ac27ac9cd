/**
 * Invariant 1: the action ends the way the schedule's plan says, by a
 * crash-limit failure the schedule justifies, or by a timeout it made
 * unavoidable.
 */
import { stepAtTick } from '../../fixtures/reliability/schedule-job.js';
import { CRASH_LIMIT, type Expected, expectedOutcome } from './expected-outcome.js';
import { CRASH_LIMIT_MESSAGE, canonical, dependencyError, killed } from './played-facts.js';
import type { PlayedSchedule } from './run-schedule.js';

export function checkOutcome(p: PlayedSchedule): string[] {
  const v: string[] = [];
  const { result, runId } = p;
  const polls = p.schedule.plan.polls;
  const expected = expectedOutcome(p.schedule, (tick) => stepAtTick(tick, polls));
  if (result.reason === 'succeeded') {
    if (expected.kind !== 'succeed') {
      v.push(
        expected.kind === 'crash-limit'
          ? `action succeeded although tick ${expected.tick} crashes ${CRASH_LIMIT - 1} times in a row (the crash limit must fail it)`
          : `action succeeded although tick ${expected.tick} fails on every attempt`,
      );
    } else {
      const want = {
        ticks: String(expected.ticks),
        polls: String(expected.polls),
        deployment: `d-${runId}:start:1`,
        session: '[REDACTED]',
      };
      if (canonical(result.outputVariables) !== canonical(want)) {
        v.push(
          `output variables ${JSON.stringify(result.outputVariables)}, expected ${JSON.stringify(want)}`,
        );
      }
    }
  } else if (result.reason === 'failure-reported') {
    const message = result.failureDetails?.message ?? '';
    if (CRASH_LIMIT_MESSAGE.test(message)) v.push(...checkCrashLimitFailure(p, message));
    else if (expected.kind !== 'fail') {
      v.push(
        expected.kind === 'crash-limit'
          ? `action failed (${result.failureDetails?.type}: ${message}) but step '${expected.step}' crashes ${CRASH_LIMIT - 1} times at tick ${expected.tick}: the crash limit must fail it`
          : `action failed (${result.failureDetails?.type}: ${message}) but the plan succeeds`,
      );
    } else if (
      result.failureDetails?.type !== 'JobFailed' ||
      !failureNamesError(p, expected, message)
    ) {
      v.push(
        `failure ${result.failureDetails?.type}: ${message} does not name step '${expected.step}' and the error of its third attempt`,
      );
    }
  } else if (result.reason === 'no-reply-timeout') {
    // Unavoidable only when every attempt of some delivery of the job was
    // killed or failed by an injected fault (a crash, or a dependency error).
    const last = result.jobs.at(-1);
    const unavoidable = result.timeline.some(
      (e) =>
        e.type === 'retries-exhausted' &&
        e.jobId === last?.id &&
        result.invocations
          .filter((i) => i.jobId === e.jobId && i.delivery === e.delivery)
          .every((i) => killed(i.outcome) || dependencyError(i.outcome)),
    );
    if (!unavoidable) {
      v.push(
        `job ${last?.sequence} timed out without a result although no delivery of it failed on every attempt by an injected fault`,
      );
    }
  } else {
    v.push(`action ended by ${result.reason}`);
  }
  return v;
}

/**
 * The failure names the failed step and the error of its third attempt: the
 * injected error, or, for a step that overran every budget, that it needs more
 * time than the function's timeout gives (only a whole invocation's budget
 * charges an attempt).
 */
function failureNamesError(
  p: PlayedSchedule,
  expected: Extract<Expected, { kind: 'fail' }>,
  message: string,
): boolean {
  const third = p.schedule.plan.faults.find((f) => f.tick === expected.tick && f.attempt === 3);
  const prefix = `step '${expected.step}' failed after 3 attempts: `;
  if (third?.kind === 'slow') {
    return (
      message.startsWith(
        `${prefix}StepTimeoutError: step '${expected.step}' did not finish within a whole invocation's budget of `,
      ) && message.includes("it needs more time than the function's timeout gives")
    );
  }
  return message.startsWith(`${prefix}Error: injected failure at tick ${expected.tick} attempt 3`);
}

/**
 * The jobs whose claims the failed job's crash count holds: it and, before
 * it, each job handed on by a commit that ran no step (a late retry with no
 * time left in the reply window, or no budget for a step): such a commit
 * keeps the earlier claims. A bounce on a wait, or any step, clears them.
 */
function countedJobs(p: PlayedSchedule): Array<{ id: string; sequence: number }> {
  const jobs = p.result.jobs;
  const counted: Array<{ id: string; sequence: number }> = jobs.slice(-1);
  for (const job of jobs.slice(0, -1).reverse()) {
    const record = p.history.find((h) => h.jobId === job.id);
    const ranNoStep = record?.entries.every(
      (e) => e.outcome === 'handed-on' && e.detail?.startsWith('no time left'),
    );
    if (!ranNoStep) break;
    counted.unshift(job);
  }
  return counted;
}

/**
 * A crash-limit failure is justified by as many invocations in a row that
 * ended without a commit, of the failed job and of the jobs before it handed
 * on without a step: killed, or thrown for Lambda's retry because a
 * dependency failed past the retries inside the invocation (a transient store
 * error counts like a death, so Lambda's last retry fails the job instead of
 * throwing once more and leaving it without a result).
 */
function checkCrashLimitFailure(p: PlayedSchedule, message: string): string[] {
  const v: string[] = [];
  const { result, run } = p;
  const crashLimit = CRASH_LIMIT_MESSAGE.exec(message);
  if (!crashLimit) return v;
  const failed = result.jobs.at(-1);
  const jobs = countedJobs(p);
  const ids = new Set(jobs.map((j) => j.id));
  const sequences = new Set(jobs.map((j) => j.sequence));
  const died = Number(crashLimit[2]);
  // An invocation whose lease a same-request delivery took over counts too:
  // the take-over presumes it dead (here at once, the in-process handlers'
  // take-over age being 0), and it returns quietly without a commit.
  const takenOver = p.invocations.filter(
    (i) => ids.has(i.jobId ?? '') && i.kind === 'lease-lost',
  ).length;
  // A claim applied but answered lost is sent again by the SDK at once;
  // with a take-over age of 0 that retry takes the lease over from itself
  // and is counted as one more claim.
  const lostClaims = p.ddb.injected.filter(
    (f) => sequences.has(f.sequence) && f.op === 'claim' && f.kind === 'applied-lost',
  ).length;
  const ended =
    takenOver +
    lostClaims +
    result.invocations.filter(
      (i) =>
        ids.has(i.jobId) &&
        (killed(i.outcome) || dependencyError(i.outcome) || i.outcome.kind === 'timed-out'),
    ).length;
  if (result.failureDetails?.type !== 'JobFailed') {
    v.push(`crash-limit failure reported as ${result.failureDetails?.type}`);
  }
  if (!message.includes(`(crashLimit ${CRASH_LIMIT})`)) {
    v.push(`crash-limit failure does not name the limit: ${message}`);
  }
  // More than `CRASH_LIMIT - 1` is possible: the claim that reaches the limit
  // can itself end without a commit (its failure commit refused for a
  // transient reason, or its lease taken over), and the next claim counts it.
  if (died < CRASH_LIMIT - 1 || ended < died) {
    v.push(
      `job ${failed?.sequence} failed by the crash limit (${message}) but ${ended} of its invocations ended without committing`,
    );
  }
  // The step named is the one the last crashed holder recorded running (a
  // step it moved to after the committed one), or else the committed one.
  const stateTick = run?.stateJson ? (JSON.parse(run.stateJson) as { tick: number }).tick : 0;
  const polls = p.schedule.plan.polls;
  const lastRun = p.steps.filter((s) => s.runId === p.runId).at(-1)?.step;
  if (crashLimit[1] !== stepAtTick(stateTick, polls) && crashLimit[1] !== lastRun) {
    v.push(
      `crash-limit failure names step '${crashLimit[1]}', the run is at tick ${stateTick} and last ran '${lastRun}'`,
    );
  }
  return v;
}
