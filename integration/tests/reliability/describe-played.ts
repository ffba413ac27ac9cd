/**
 * A readable account of a played schedule, printed with a failing property:
 * its violations, the schedule, the run, the timeline, the faults injected,
 * the invocations, the step executions and the committed history.
 */
import { formatTimelineEvent } from '@baton/testing';
import type { ScheduleOutcome } from './run-schedule.js';

/** A readable account of a played schedule, for a failing property. */
export function describePlayed(outcome: ScheduleOutcome): string {
  const { played } = outcome;
  const timeline = played.result.timeline
    .filter((event) => event.type !== 'handler-output')
    .map((event) => `  ${formatTimelineEvent(event)}`);
  const steps = played.steps.map(
    (s) =>
      `  step ${s.step} tick ${s.tick} attempt ${s.attempt} seq ${s.jobSeq} inv ${s.inv?.slice(0, 8)} at ${s.at}${s.fault ? ` (${s.fault})` : ''}`,
  );
  const invocations = played.invocations.map(
    (i) =>
      `  inv ${i.inv.slice(0, 8)} job ${i.jobId?.slice(0, 8)} ${i.kind ?? i.error} ${i.reportStatus ?? ''} steps ${i.stepsRun ?? '-'} ${i.end - i.start}ms (deadline ${i.deadline - i.start}ms)`,
  );
  const history = played.history.map(
    (h) =>
      `  hist seq ${h.jobSeq} job ${h.jobId.slice(0, 8)} committedAt ${h.committedAt}: ${h.entries.map((e) => `${e.step}/${e.attempt}/${e.outcome}`).join(', ')}`,
  );
  return [
    `violations (${played.mode}):`,
    ...outcome.violations.map((v) => `  - ${v}`),
    `schedule: ${JSON.stringify(played.schedule)}`,
    `run ${played.runId}: ${JSON.stringify({ status: played.run?.status, sequence: played.run?.nextJobSeq, step: played.run?.step, outcome: played.run?.outcome })}`,
    'timeline:',
    ...timeline,
    'dynamodb faults:',
    ...played.ddb.injected.map((f) => `  ${JSON.stringify(f)}`),
    'invocations:',
    ...invocations,
    'step executions:',
    ...steps,
    'history:',
    ...history,
  ].join('\n');
}
