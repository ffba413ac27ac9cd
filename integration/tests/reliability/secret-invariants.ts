/**
 * Invariant 9: no value of any job's `artifactCredentials` reaches a log
 * line, the table or the timeline, and the log capture works (an invocation
 * that ran steps and lived to its end logged a redacted line).
 */
import type { PlayedSchedule } from './run-schedule.js';

export function checkSecrets(p: PlayedSchedule): string[] {
  const v: string[] = [];
  const logs = p.logs.join('\n');
  const timeline = JSON.stringify(p.result.timeline);
  for (const job of p.result.jobs) {
    for (const [name, value] of Object.entries(job.artifactCredentials)) {
      if (typeof value !== 'string') continue;
      if (logs.includes(value)) v.push(`job ${job.sequence}'s ${name} appears in a log line`);
      if (p.items.includes(value)) v.push(`job ${job.sequence}'s ${name} appears in the table`);
      if (timeline.includes(value)) v.push(`job ${job.sequence}'s ${name} appears on the timeline`);
    }
  }
  // An invocation records its end only when it lives to it; a container
  // killed right after its steps may take its last log lines with it (a
  // worker's output reaches the capture asynchronously).
  const ended = new Set(p.invocations.map((i) => i.inv));
  const stepsRan = p.steps.some(
    (s) => s.runId === p.runId && s.inv !== undefined && ended.has(s.inv),
  );
  if (stepsRan && !logs.includes('[REDACTED]')) {
    v.push('steps ran but no redacted log line was captured: the log capture is broken');
  }
  return v;
}
