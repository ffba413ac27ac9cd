/**
 * Invariants 2, 3 and 10: what CodePipeline receives. One accepted terminal
 * report, one result per job, and each job answered inside its reply window.
 */
import { CODEPIPELINE_REPLY_WINDOW_MS } from '@baton/core';
import { bodyOf, canonical, dependencyError, killed, reportsOf } from './played-facts.js';
import type { PlayedSchedule } from './run-schedule.js';

export function checkReports(p: PlayedSchedule): string[] {
  const v: string[] = [];
  const { result } = p;
  const jobById = new Map(result.jobs.map((job) => [job.id, job]));
  const reports = reportsOf(result.timeline);
  const accepted = reports.filter((r) => r.accepted);

  // 2. Exactly one accepted terminal report (none when the action timed out).
  const terminal = accepted.filter(
    (r) => r.operation === 'PutJobFailureResult' || bodyOf(r).continuationToken === undefined,
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

  // 10. Each job is answered inside CodePipeline's 20-minute reply window,
  // counted from its first invocation (its first claim came a little later).
  // A Lambda retry that comes late in the window reports at once. Only an
  // invocation that died or failed on an injected fault can leave the answer
  // to a retry that comes after the window: then nothing could answer in time.
  for (const job of result.jobs) {
    const first = result.timeline.find(
      (e) => e.type === 'invocation-started' && e.jobId === job.id,
    );
    const answer = accepted.find((r) => r.jobId === job.id);
    if (!first || !answer) continue;
    const after = answer.pipelineMs - first.pipelineMs;
    if (after <= CODEPIPELINE_REPLY_WINDOW_MS) continue;
    const excused = result.invocations.some(
      (i) =>
        i.jobId === job.id &&
        (killed(i.outcome) || dependencyError(i.outcome) || i.outcome.kind === 'timed-out'),
    );
    if (!excused) {
      v.push(
        `job ${job.sequence} was answered ${Math.round(after / 1000)} s after its first invocation, past the ${CODEPIPELINE_REPLY_WINDOW_MS / 60_000}-minute reply window, although none of its invocations died or failed`,
      );
    }
  }
  return v;
}
