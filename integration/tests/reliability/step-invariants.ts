/**
 * Invariant 4: the steps. A committed step never runs again, the idempotency
 * key of a visit never changes, the crash limit holds, only a whole
 * invocation's budget charges an attempt, and no step starts late in its
 * job's reply window.
 */
import { CODEPIPELINE_REPLY_WINDOW_MS } from '@baton/core';
import { type StepRecord, stepAtTick } from '../../fixtures/reliability/schedule-job.js';
import { CRASH_LIMIT } from './expected-outcome.js';
import { CRASH_LIMIT_MESSAGE } from './played-facts.js';
import type { PlayedSchedule } from './run-schedule.js';

/** Step executions the history records (the rest are bounces and deadlines). */
const EXECUTED = new Set(['goTo', 'wait', 'succeed', 'fail', 'error']);
/** Visit of each step in the schedule job: the idempotency key's last part. */
const VISIT: Record<string, number> = { start: 1, poll: 2, finish: 3 };
/**
 * No step starts this long after its job's first claim: the budget ends a
 * minute (Baton's margin) and the commit-and-report reserve before the reply
 * window does, and a step needs some budget left to start.
 */
const LATEST_STEP_START_MS = CODEPIPELINE_REPLY_WINDOW_MS - 60_000;

export function checkSteps(p: PlayedSchedule): string[] {
  const v: string[] = [];
  const { history, runId } = p;
  const polls = p.schedule.plan.polls;
  const jobSequence = new Map(p.result.jobs.map((job) => [job.id, job.sequence]));
  const faultAt = (tick: number, attempt: number) =>
    p.schedule.plan.faults.find((f) => f.tick === tick && f.attempt === attempt);

  // The committed history, replayed into (tick, attempt) keys.
  const committed = new Map<string, { jobSeq: number; committedAt: number }>();
  let tick = 0;
  for (const h of history) {
    for (const entry of h.entries) {
      if (!EXECUTED.has(entry.outcome)) continue;
      // The crash limit fails the run without running its step.
      if (entry.outcome === 'fail' && CRASH_LIMIT_MESSAGE.test(entry.detail ?? '')) continue;
      const want = stepAtTick(tick, polls);
      if (entry.step !== want)
        v.push(`history: step '${entry.step}' at tick ${tick}, expected '${want}'`);
      const key = `${tick}/${entry.attempt}`;
      if (committed.has(key)) v.push(`history commits tick ${tick} attempt ${entry.attempt} twice`);
      committed.set(key, { jobSeq: h.jobSeq, committedAt: h.committedAt });
      // Only a step that overran every budget, with a whole invocation's
      // budget, is charged a timeout; one that overran after other work is not.
      if (entry.outcome === 'error' && entry.detail?.startsWith('StepTimeoutError')) {
        const kind = faultAt(tick, entry.attempt)?.kind;
        if (kind !== 'slow') {
          v.push(
            `tick ${tick} attempt ${entry.attempt} (${kind ?? 'no fault'}) was charged a timeout: ${entry.detail}`,
          );
        } else if (!entry.detail.includes("needs more time than the function's timeout gives")) {
          v.push(
            `tick ${tick} attempt ${entry.attempt} was charged a timeout without a whole budget: ${entry.detail}`,
          );
        }
      }
      if (entry.outcome === 'goTo' || entry.outcome === 'wait') tick += 1;
    }
  }

  const steps = p.steps.filter((s) => s.runId === runId);
  // The crash limit: a job's claims that no commit followed are counted, and
  // the CRASH_LIMIT-th fails the job instead of running a step; a commit ends
  // the job. So at most CRASH_LIMIT - 1 invocations of one job run a step.
  for (const [jobId, runners] of groupBy(
    steps,
    (s) => s.jobId,
    (s) => s.inv,
  )) {
    if (runners.size > CRASH_LIMIT - 1) {
      v.push(
        `${runners.size} invocations of job ${jobSequence.get(jobId)} ran steps: the crash limit (${CRASH_LIMIT}) allows ${CRASH_LIMIT - 1}`,
      );
    }
  }
  for (const s of steps) {
    const c = committed.get(`${s.tick}/${s.attempt}`);
    if (c && (s.jobSeq > c.jobSeq || s.at > c.committedAt)) {
      v.push(
        `tick ${s.tick} attempt ${s.attempt} ('${s.step}') ran again (sequence ${s.jobSeq}, at ${s.at}) after sequence ${c.jobSeq} committed it at ${c.committedAt}`,
      );
    }
    if (s.idempotencyKey !== `${runId}:${s.step}:${VISIT[s.step]}`) {
      v.push(`tick ${s.tick} ran with idempotency key ${s.idempotencyKey}`);
    }
  }
  for (const key of committed.keys()) {
    if (!steps.some((s) => `${s.tick}/${s.attempt}` === key)) {
      v.push(`history commits tick/attempt ${key} that no step execution recorded`);
    }
  }

  // Every step of a job starts before its reply window's last minute: the
  // job's first claim (which starts the window) comes before all its steps,
  // so two steps of one job never start further apart than that. A Lambda
  // retry that comes later hands the run on without a step.
  for (const [jobId, starts] of groupBy(
    steps,
    (s) => s.jobId,
    (s) => s.at,
  )) {
    const spread = Math.max(...starts) - Math.min(...starts);
    if (spread > LATEST_STEP_START_MS) {
      v.push(
        `job ${jobSequence.get(jobId)} ran steps ${Math.round(spread / 1000)} s apart: a step started in its reply window's last minute`,
      );
    }
  }
  return v;
}

function groupBy<K, T>(
  steps: readonly StepRecord[],
  key: (s: StepRecord) => K,
  value: (s: StepRecord) => T | undefined,
): Map<K, Set<T>> {
  const groups = new Map<K, Set<T>>();
  for (const s of steps) {
    const x = value(s);
    if (x === undefined) continue;
    const group = groups.get(key(s)) ?? new Set<T>();
    group.add(x);
    groups.set(key(s), group);
  }
  return groups;
}
