/**
 * Invariants 6 and 8: each invocation. None runs past its deadline or throws
 * for anything but an injected dependency failure, and duplicates are cheap.
 */
import { dependencyError, killed, reportsOf } from './played-facts.js';
import type { PlayedSchedule } from './run-schedule.js';

export function checkInvocations(p: PlayedSchedule, lagMs: number): string[] {
  const v: string[] = [];
  const { result } = p;
  const jobById = new Map(result.jobs.map((job) => [job.id, job]));

  // 6. No invocation runs past its deadline.
  const slack = p.mode === 'in-process' ? Math.ceil(lagMs) : 0;
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

  // 8. Duplicates cost no user code and one DynamoDB request: the failed claim
  // (two when a take-over of the lease or of a dead committer's report was tried).
  const steps = p.steps.filter((s) => s.runId === p.runId);
  for (const inv of p.invocations) {
    if (inv.kind === 'rejected') v.push(`invocation ${inv.inv.slice(0, 8)} rejected its job`);
    if (inv.kind !== 'resent' && inv.kind !== 'stale' && inv.kind !== 'in-progress') continue;
    const ran = steps.filter((s) => s.inv === inv.inv).length;
    if (ran > 0) v.push(`a ${inv.kind} invocation ran ${ran} steps`);
    const requests = p.ddb.requestsByInvocation.get(inv.inv) ?? 0;
    const allowed = inv.kind === 'in-progress' || p.ddb.tookOverReport.has(inv.inv) ? 2 : 1;
    if (!p.ddb.faulted.has(inv.inv) && requests > allowed) {
      v.push(`a ${inv.kind} invocation sent ${requests} DynamoDB requests`);
    }
  }
  const accepted = reportsOf(result.timeline).filter((r) => r.accepted);
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
  return v;
}
