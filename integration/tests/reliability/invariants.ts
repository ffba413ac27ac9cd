/**
 * The invariants every fault schedule must keep. Each returns messages that
 * say what was broken, so a failing schedule explains itself.
 */
import type { RunRecord } from '@baton/core';
import type { TimelineEvent } from '@baton/testing';
import { stepAtTick } from '../../fixtures/reliability/schedule-job.js';
import type { PlayedSchedule } from './run-schedule.js';
import { CRASH_LIMIT, expectedOutcome } from './schedule.js';

/** The run item as read after one invocation ended. */
export interface RunSnapshot {
  after: string;
  run: RunRecord;
  historyCount: number;
}

type Report = Extract<TimelineEvent, { type: 'report-received' }>;
interface ReportBody {
  jobId?: string;
  continuationToken?: string;
  outputVariables?: Record<string, string>;
  executionDetails?: { externalExecutionId?: string };
  failureDetails?: { type?: string; message?: string; externalExecutionId?: string };
}

/** A failure by the crash limit: the step and how many invocations before it died. */
const CRASH_LIMIT_MESSAGE =
  /^step '(\w+)' \(attempt \d+\) was started by (\d+) invocations? in a row/;
/** Step executions the history records (the rest are bounces and deadlines). */
const EXECUTED = new Set(['goTo', 'wait', 'succeed', 'fail', 'error']);
/** Visit of each step in the schedule job: the idempotency key's last part. */
const VISIT: Record<string, number> = { start: 1, poll: 2, finish: 3 };

/** What the checks need to know about the test process. */
export interface CheckOptions {
  /**
   * How long the test process's event loop was held up at most while the
   * schedule played: an in-process handler may return that much after its
   * deadline without being at fault (the emulator, whose timer shares the
   * loop, is the authority: it says whether the invocation timed out).
   */
  lagMs: number;
}

export function checkInvariants(p: PlayedSchedule, options: CheckOptions): string[] {
  const v: string[] = [];
  const { result, run, history, runId } = p;
  const polls = p.schedule.plan.polls;
  const jobs = result.jobs;
  const jobBySequence = new Map(jobs.map((job) => [job.sequence, job]));
  const jobById = new Map(jobs.map((job) => [job.id, job]));
  const reports = result.timeline.filter((e): e is Report => e.type === 'report-received');
  const accepted = reports.filter((r) => r.accepted);
  const body = (r: Report) => r.request as ReportBody;

  // 1. The action ends as the plan says, or by a timeout the schedule made unavoidable.
  const expected = expectedOutcome(p.schedule.plan, (tick) => stepAtTick(tick, polls));
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
    const crashLimit = CRASH_LIMIT_MESSAGE.exec(message);
    if (crashLimit) {
      // The crash limit: justified only by as many invocations of the failed
      // job in a row that ended without a commit (killed, or a dependency failed).
      const failed = jobs.at(-1);
      const died = Number(crashLimit[2]);
      // An invocation whose lease a same-request delivery took over counts too:
      // the take-over presumes it dead (here at once, the in-process handlers'
      // take-over age being 0), and it returns quietly without a commit.
      const takenOver = p.invocations.filter(
        (i) => i.jobId === failed?.id && i.kind === 'lease-lost',
      ).length;
      // A claim applied but answered lost is sent again by the SDK at once;
      // with a take-over age of 0 that retry takes the lease over from itself
      // and is counted as one more claim.
      const lostClaims = p.ddb.injected.filter(
        (f) => f.sequence === failed?.sequence && f.op === 'claim' && f.kind === 'applied-lost',
      ).length;
      const ended =
        takenOver +
        lostClaims +
        result.invocations.filter(
          (i) =>
            i.jobId === failed?.id &&
            (killed(i.outcome) || dependencyError(i.outcome) || i.outcome.kind === 'timed-out'),
        ).length;
      if (result.failureDetails?.type !== 'JobFailed') {
        v.push(`crash-limit failure reported as ${result.failureDetails?.type}`);
      }
      if (!message.includes(`(crashLimit ${CRASH_LIMIT})`)) {
        v.push(`crash-limit failure does not name the limit: ${message}`);
      }
      if (died !== CRASH_LIMIT - 1 || ended < died) {
        v.push(
          `job ${failed?.sequence} failed by the crash limit (${message}) but ${ended} of its invocations ended without committing`,
        );
      }
      const stateTick = run?.stateJson ? (JSON.parse(run.stateJson) as { tick: number }).tick : 0;
      if (crashLimit[1] !== stepAtTick(stateTick, polls)) {
        v.push(
          `crash-limit failure names step '${crashLimit[1]}', the run is at tick ${stateTick}`,
        );
      }
    } else if (expected.kind !== 'fail') {
      v.push(
        expected.kind === 'crash-limit'
          ? `action failed (${result.failureDetails?.type}: ${message}) but step '${expected.step}' crashes ${CRASH_LIMIT - 1} times at tick ${expected.tick}: the crash limit must fail it`
          : `action failed (${result.failureDetails?.type}: ${message}) but the plan succeeds`,
      );
    } else if (
      result.failureDetails?.type !== 'JobFailed' ||
      (!message.startsWith(
        `step '${expected.step}' failed after 3 attempts: Error: injected failure at tick ${expected.tick} attempt 3`,
      ) &&
        !message.startsWith(`step '${expected.step}' failed after 3 attempts: StepTimeoutError`))
    ) {
      v.push(
        `failure ${result.failureDetails?.type}: ${message} does not name step '${expected.step}' and its error`,
      );
    }
  } else if (result.reason === 'no-reply-timeout') {
    // Unavoidable only when every attempt of some delivery of the job was
    // killed or failed by an injected fault (a crash, or a dependency error).
    const last = jobs.at(-1);
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

  // 2. Exactly one accepted terminal report (none when the action timed out).
  const terminal = accepted.filter(
    (r) => r.operation === 'PutJobFailureResult' || body(r).continuationToken === undefined,
  );
  const wantTerminal = result.reason === 'no-reply-timeout' ? 0 : 1;
  if (terminal.length !== wantTerminal) {
    v.push(`${terminal.length} accepted terminal reports, expected ${wantTerminal}`);
  }

  // 3. A job is only ever sent one result: every report request for it is the same.
  const sentByJob = new Map<string, Set<string>>();
  for (const r of reports) {
    const set = sentByJob.get(r.jobId) ?? new Set<string>();
    set.add(`${r.operation} ${canonical(r.request)}`);
    sentByJob.set(r.jobId, set);
  }
  for (const [jobId, sent] of sentByJob) {
    if (sent.size > 1) {
      v.push(
        `job ${jobById.get(jobId)?.sequence} was sent ${sent.size} different results: ${[...sent].join(' | ')}`,
      );
    }
  }

  // 4. A committed step never runs again; the idempotency key of a visit is stable.
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
      if (entry.outcome === 'goTo' || entry.outcome === 'wait') tick += 1;
    }
  }
  const steps = p.steps.filter((s) => s.runId === runId);
  // 4b. The crash limit: a job's claims that no commit followed are counted,
  // and the CRASH_LIMIT-th fails the job instead of running a step; a commit
  // ends the job. So at most CRASH_LIMIT - 1 invocations of one job run a step.
  const runnersByJob = new Map<string, Set<string>>();
  for (const s of steps) {
    if (!s.inv) continue;
    const runners = runnersByJob.get(s.jobId) ?? new Set<string>();
    runners.add(s.inv);
    runnersByJob.set(s.jobId, runners);
  }
  for (const [jobId, runners] of runnersByJob) {
    if (runners.size > CRASH_LIMIT - 1) {
      v.push(
        `${runners.size} invocations of job ${jobById.get(jobId)?.sequence} ran steps: the crash limit (${CRASH_LIMIT}) allows ${CRASH_LIMIT - 1}`,
      );
    }
  }
  for (const s of steps) {
    const key = `${s.tick}/${s.attempt}`;
    const c = committed.get(key);
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

  // 5. State and sequence never go backwards; a finished run stays finished.
  const tickOf = (r: RunRecord) =>
    r.stateJson ? (JSON.parse(r.stateJson) as { tick: number }).tick : 0;
  const series = [
    ...p.snapshots,
    ...(run ? [{ after: 'the end', run, historyCount: history.length }] : []),
  ];
  for (let i = 1; i < series.length; i++) {
    const a = series[i - 1]!;
    const b = series[i]!;
    const where = `after ${b.after} (before: after ${a.after})`;
    if (b.run.nextJobSeq < a.run.nextJobSeq)
      v.push(`sequence went back from ${a.run.nextJobSeq} to ${b.run.nextJobSeq} ${where}`);
    if (b.historyCount < a.historyCount) v.push(`history shrank ${where}`);
    if (tickOf(b.run) < tickOf(a.run))
      v.push(`state went back from tick ${tickOf(a.run)} to ${tickOf(b.run)} ${where}`);
    if (
      a.run.status !== 'running' &&
      (b.run.status !== a.run.status || canonical(b.run.outcome) !== canonical(a.run.outcome))
    ) {
      v.push(`finished run changed from ${a.run.status} to ${b.run.status} ${where}`);
    }
  }

  // 6. No invocation runs past its deadline.
  const slack = p.mode === 'in-process' ? Math.ceil(options.lagMs) : 0;
  for (const inv of p.invocations) {
    if (inv.end > inv.deadline + slack) {
      v.push(
        `invocation ${inv.inv.slice(0, 8)} (${inv.kind ?? inv.error}) ended ${inv.end - inv.deadline} ms after its deadline (event loop held up ${slack} ms at most)`,
      );
    }
  }
  for (const inv of result.invocations) {
    if (inv.outcome.kind === 'timed-out') v.push(`${inv.invocationId} hit the function timeout`);
  }

  // An invocation only fails when a dependency failed (all such failures are injected).
  for (const inv of result.invocations) {
    if (inv.outcome.kind === 'errored' && !dependencyError(inv.outcome) && !killed(inv.outcome)) {
      v.push(`${inv.invocationId} threw ${inv.outcome.error.name}: ${inv.outcome.error.message}`);
    }
  }

  // 7. Nothing in the table contradicts what was reported.
  if (!run) {
    if (result.reason !== 'no-reply-timeout') v.push(`no run ${runId} in the table`);
  } else {
    const last = jobs.at(-1);
    if (result.reason === 'succeeded') {
      if (
        run.status !== 'succeeded' ||
        run.outcome?.kind !== 'succeed' ||
        run.outcome.jobId !== last?.id
      ) {
        v.push(
          `action succeeded but the run is ${run.status} with outcome ${JSON.stringify(run.outcome)}`,
        );
      } else if (
        canonical(run.outcome.outputVariables ?? {}) !== canonical(result.outputVariables)
      ) {
        v.push('stored output variables differ from the reported ones');
      }
    }
    if (result.reason === 'failure-reported') {
      const o = run.outcome;
      if (
        run.status !== 'failed' ||
        o?.kind !== 'fail' ||
        o.jobId !== last?.id ||
        o.failureType !== result.failureDetails?.type ||
        o.message !== result.failureDetails?.message
      ) {
        v.push(`action failed but the run is ${run.status} with outcome ${JSON.stringify(o)}`);
      }
    }
    if (run.historyCount !== history.length) {
      v.push(`historyCount ${run.historyCount} but ${history.length} history items`);
    }
    const sequences = history.map((h) => h.jobSeq);
    if (new Set(sequences).size !== sequences.length) v.push('two history items for one sequence');
    for (const h of history) {
      if (jobBySequence.get(h.jobSeq + 1)?.id !== h.jobId) {
        v.push(`history of sequence ${h.jobSeq} names job ${h.jobId}, not job ${h.jobSeq + 1}`);
      }
    }
    const top = sequences.length === 0 ? -1 : Math.max(...sequences);
    const wantSequence = run.status === 'running' ? top + 1 : top;
    if (run.nextJobSeq !== wantSequence) {
      v.push(
        `run is at sequence ${run.nextJobSeq} (${run.status}) but its last committed sequence is ${top}`,
      );
    }
    for (const r of accepted) {
      const job = jobById.get(r.jobId);
      const b = body(r);
      if (!job) continue;
      if (!history.some((h) => h.jobSeq === job.sequence - 1 && h.jobId === job.id)) {
        v.push(
          `job ${job.sequence}'s result was accepted but no commit of sequence ${job.sequence - 1} by it is stored`,
        );
      }
      const external =
        b.executionDetails?.externalExecutionId ?? b.failureDetails?.externalExecutionId;
      if (external !== runId)
        v.push(`job ${job.sequence} reported externalExecutionId ${external}`);
      if (
        b.continuationToken !== undefined &&
        b.continuationToken !== `bt1.${runId}.${job.sequence}.${run.nonce}`
      ) {
        v.push(`job ${job.sequence} handed on token ${b.continuationToken}`);
      }
    }
  }

  // 8. Duplicates cost no user code and one DynamoDB request: the failed claim
  // (two when a take-over was tried and lost).
  for (const inv of p.invocations) {
    if (inv.kind === 'rejected') v.push(`invocation ${inv.inv.slice(0, 8)} rejected its job`);
    if (inv.kind !== 'resent' && inv.kind !== 'stale' && inv.kind !== 'in-progress') continue;
    const ran = steps.filter((s) => s.inv === inv.inv).length;
    if (ran > 0) v.push(`a ${inv.kind} invocation ran ${ran} steps`);
    const requests = p.ddb.requestsByInvocation.get(inv.inv) ?? 0;
    const allowed = inv.kind === 'in-progress' ? 2 : 1;
    if (!p.ddb.faulted.has(inv.inv) && requests > allowed) {
      v.push(`a ${inv.kind} invocation sent ${requests} DynamoDB requests`);
    }
  }
  for (const inv of p.invocations) {
    if (inv.reportStatus === 'sent' && inv.jobId && !accepted.some((r) => r.jobId === inv.jobId)) {
      v.push(
        `invocation ${inv.inv.slice(0, 8)} says it sent job ${jobById.get(inv.jobId)?.sequence}'s result, which was never accepted`,
      );
    }
    const job = inv.jobId ? jobById.get(inv.jobId) : undefined;
    if (
      inv.reportStatus === 'already-reported' &&
      job &&
      !job.result &&
      job.status !== 'TimedOut'
    ) {
      v.push(
        `invocation ${inv.inv.slice(0, 8)} took job ${job.sequence} for reported, but the job has no result`,
      );
    }
  }

  // 9. No credential value reaches a log line, the table or the timeline.
  const logs = p.logs.join('\n');
  const timeline = JSON.stringify(result.timeline);
  for (const job of jobs) {
    for (const [name, value] of Object.entries(job.artifactCredentials)) {
      if (typeof value !== 'string') continue;
      if (logs.includes(value)) v.push(`job ${job.sequence}'s ${name} appears in a log line`);
      if (p.items.includes(value)) v.push(`job ${job.sequence}'s ${name} appears in the table`);
      if (timeline.includes(value)) v.push(`job ${job.sequence}'s ${name} appears on the timeline`);
    }
  }
  if (steps.length > 0 && !logs.includes('[REDACTED]')) {
    v.push('steps ran but no redacted log line was captured: the log capture is broken');
  }
  return v;
}

/**
 * A container killed by a crash fault. Killed while it still loads the
 * handler (a cold start), the invocation ends as Lambda's `Runtime.ExitError`.
 */
function killed(outcome: { kind: string; error?: { name: string } }): boolean {
  return (
    outcome.kind === 'crashed' ||
    (outcome.kind === 'errored' && outcome.error?.name === 'Runtime.ExitError')
  );
}

/** A failure of DynamoDB or CodePipeline, as Baton passes it to Lambda. */
function dependencyError(outcome: { kind: string; error?: { name: string } }): boolean {
  return (
    outcome.kind === 'errored' &&
    (outcome.error?.name === 'StoreError' || outcome.error?.name === 'ReportError')
  );
}

/** JSON with sorted keys: DynamoDB gives maps back in any order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
