/**
 * Invariants 5 and 7: the run item. Nothing in it goes backwards, a finished
 * run never changes, and the table agrees with what CodePipeline was told.
 */
import type { RunRecord } from '@baton/core';
import { bodyOf, canonical, reportsOf } from './played-facts.js';
import type { PlayedSchedule } from './run-schedule.js';

export function checkProgress(p: PlayedSchedule): string[] {
  const v: string[] = [];
  const tickOf = (r: RunRecord) =>
    r.stateJson ? (JSON.parse(r.stateJson) as { tick: number }).tick : 0;
  const series = [
    ...p.snapshots,
    ...(p.run ? [{ after: 'the end', run: p.run, historyCount: p.history.length }] : []),
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
  return v;
}

export function checkTable(p: PlayedSchedule): string[] {
  const v: string[] = [];
  const { result, run, history, runId } = p;
  if (!run) {
    if (result.reason !== 'no-reply-timeout') v.push(`no run ${runId} in the table`);
    return v;
  }
  const jobBySequence = new Map(result.jobs.map((job) => [job.sequence, job]));
  const jobById = new Map(result.jobs.map((job) => [job.id, job]));
  const last = result.jobs.at(-1);
  if (result.reason === 'succeeded') {
    if (
      run.status !== 'succeeded' ||
      run.outcome?.kind !== 'succeed' ||
      run.outcome.jobId !== last?.id
    ) {
      v.push(
        `action succeeded but the run is ${run.status} with outcome ${JSON.stringify(run.outcome)}`,
      );
    } else if (canonical(run.outcome.outputVariables ?? {}) !== canonical(result.outputVariables)) {
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
  for (const r of reportsOf(result.timeline).filter((report) => report.accepted)) {
    const job = jobById.get(r.jobId);
    const b = bodyOf(r);
    if (!job) continue;
    if (!history.some((h) => h.jobSeq === job.sequence - 1 && h.jobId === job.id)) {
      v.push(
        `job ${job.sequence}'s result was accepted but no commit of sequence ${job.sequence - 1} by it is stored`,
      );
    }
    const external =
      b.executionDetails?.externalExecutionId ?? b.failureDetails?.externalExecutionId;
    if (external !== runId) v.push(`job ${job.sequence} reported externalExecutionId ${external}`);
    if (
      b.continuationToken !== undefined &&
      b.continuationToken !== `bt1.${runId}.${job.sequence}.${run.nonce}`
    ) {
      v.push(`job ${job.sequence} handed on token ${b.continuationToken}`);
    }
  }
  return v;
}
