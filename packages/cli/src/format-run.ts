import type { HistoryEntry, HistoryRecord } from '@baton/core';
import { jobNumberOf } from './job-number.js';
import type { OutcomeView, RunView } from './run-view.js';
import {
  formatAgo,
  formatColumns,
  formatDuration,
  formatTime,
  progressBar,
  shortenId,
  truncate,
} from './text-format.js';

/**
 * One history entry as a line: `poll → wait 1.5 s: poll 1: HTTP 200, …`.
 *
 * @example
 * ```ts
 * describeHistoryEntry({ at, step: 'start', attempt: 1, outcome: 'goTo', detail: 'poll' });
 * // 'start → goTo poll'
 * ```
 */
export function describeHistoryEntry(entry: HistoryEntry): string {
  const step = entry.attempt > 1 ? `${entry.step} (attempt ${entry.attempt})` : entry.step;
  const detail = entry.detail ?? '';
  switch (entry.outcome) {
    case 'goTo':
      return `${step} → goTo ${detail}`;
    case 'wait':
      return `${step} → wait ${detail}`;
    case 'succeed':
      return `${step} → succeed${detail ? `: ${detail}` : ''}`;
    case 'fail':
      return `${step} → fail${detail ? `: ${detail}` : ''}`;
    case 'error':
      return `${step} → threw ${detail}`;
    case 'resume-later':
      return `${step}: not due yet, ${detail}`;
    case 'deadline':
      return `${step}: deadline passed: ${detail}`;
    default:
      return `${step} → ${entry.outcome}${detail ? `: ${detail}` : ''}`;
  }
}

/**
 * One line about an outcome: `continue 50% "poll 2: …" (token bt1.5f0c…)`.
 *
 * @example
 * ```ts
 * describeOutcome(view.outcome);
 * ```
 */
export function describeOutcome(outcome: OutcomeView): string {
  const id = outcome.jobId === undefined ? '' : ` (${shortenId(outcome.jobId)})`;
  const job = `for job ${outcome.jobNumber ?? '?'}${id}`;
  switch (outcome.kind) {
    case 'continue':
      return [
        `continue ${job}`,
        outcome.percentComplete === undefined ? undefined : `${outcome.percentComplete}%`,
        outcome.summary === undefined ? undefined : JSON.stringify(outcome.summary),
        `token ${outcome.continuationToken}`,
      ]
        .filter(Boolean)
        .join(', ');
    case 'succeed': {
      const variables = Object.entries(outcome.outputVariables ?? {})
        .map(([name, value]) => `${name}=${value}`)
        .join(' ');
      return [
        `succeed ${job}`,
        outcome.summary === undefined ? undefined : JSON.stringify(outcome.summary),
        variables ? `output variables: ${variables}` : undefined,
      ]
        .filter(Boolean)
        .join(', ');
    }
    case 'fail':
      return `fail ${job}: ${outcome.failureType}: ${outcome.message}`;
  }
}

/**
 * The `baton runs list` table, followed by what to do about stuck runs.
 *
 * @example
 * ```ts
 * out.write(`${formatRunList(views, Date.now())}\n`);
 * ```
 */
export function formatRunList(views: readonly RunView[], now: number): string {
  if (views.length === 0) return 'no runs';
  const rows = [
    [
      'RUN ID',
      'JOB',
      'STATUS',
      'STEP',
      'JOB #',
      'ATTEMPT',
      'PROGRESS',
      'OUTCOME',
      'UPDATED',
      'NOTE',
    ],
    ...views.map((view) => [
      view.runId,
      view.jobName,
      view.status,
      view.step,
      String(view.jobNumber),
      String(view.attempt),
      view.progress?.percentComplete === undefined ? '-' : `${view.progress.percentComplete}%`,
      view.outcome?.kind ?? '-',
      formatAgo(view.updatedAt, now),
      noteOf(view, now),
    ]),
  ];
  const stuck = views.filter((view) => view.stuck);
  const advice = stuck.map(
    (view) => `  ${view.runId}: ${view.stuck?.reason}\n    → ${view.stuck?.advice}`,
  );
  return [formatColumns(rows), ...(advice.length > 0 ? ['', 'stuck runs:', ...advice] : [])].join(
    '\n',
  );
}

function noteOf(view: RunView, now: number): string {
  const notes: string[] = [];
  if (view.lease) {
    const holder = shortenId(view.lease.requestId ?? view.lease.owner);
    notes.push(
      view.lease.expired
        ? `lease of ${holder} expired ${formatDuration(now - view.lease.until)} ago`
        : `leased by ${holder} for ${formatDuration(view.lease.until - now)}`,
    );
  }
  if (view.resumeAt !== undefined && view.storedStatus === 'running') {
    notes.push(
      view.resumeAt > now
        ? `resumes in ${formatDuration(view.resumeAt - now)}`
        : `due since ${formatDuration(now - view.resumeAt)}`,
    );
  }
  if (view.abandoned)
    notes.push(`abandoned (${view.abandoned.reason}) ${formatAgo(view.abandoned.at, now)}`);
  if (view.lastError) notes.push(`last error: ${truncate(view.lastError, 60)}`);
  return notes.join('; ');
}

/**
 * The `baton runs show` text: every field of the run, what to do when it is
 * stuck, its state and its history, one block per committed invocation.
 *
 * @example
 * ```ts
 * const found = await store.getRun(runId);
 * if (found) out.write(formatRunDetails(toRunView(found.run, now), found, now));
 * ```
 */
export function formatRunDetails(
  view: RunView,
  stored: { stateJson?: string; history: readonly HistoryRecord[] },
  now: number,
): string {
  const time = (ms: number) => formatTime(ms, now);
  const lease = view.lease
    ? `held by ${view.lease.requestId ? `request ${view.lease.requestId}` : `owner ${view.lease.owner}`} until ${time(view.lease.until)}${view.lease.expired ? ' — expired' : ''}`
    : 'none';
  const running = view.storedStatus === 'running';
  const progress = view.progress
    ? [
        // Baton ends a succeeded run's progress at 100 %; a failed run keeps its last report.
        view.storedStatus === 'failed' ? '(last reported while running)' : undefined,
        view.progress.percentComplete === undefined
          ? undefined
          : progressBar(view.progress.percentComplete),
        view.progress.summary,
      ]
        .filter(Boolean)
        .join(' ')
    : '-';
  const fields: Array<[string, string]> = [
    ['job', view.jobName],
    [
      'status',
      view.status === view.storedStatus
        ? view.status
        : `${view.status} (stored: ${view.storedStatus})`,
    ],
    ['step', `${view.step} (attempt ${view.attempt})`],
    [
      running ? 'current job' : 'last job',
      `${view.jobNumber} (${running ? 'the job expected next; ' : ''}1 is the first job)`,
    ],
    ['first job', view.firstJobId ?? '-'],
    ['lease', lease],
    ['resumes at', view.resumeAt === undefined || !running ? '-' : time(view.resumeAt)],
    ['progress', progress],
    ['outcome', view.outcome ? describeOutcome(view.outcome) : '-'],
    ['last error', view.lastError ?? '-'],
    ['created', time(view.createdAt)],
    ['updated', time(view.updatedAt)],
    ['deadline', time(view.deadlineAt)],
    ['expires (TTL)', time(view.expiresAt)],
  ];
  const lines = [
    `run ${view.runId}`,
    ...fields.map(([name, value]) => `  ${name.padEnd(14)}${value}`),
  ];
  if (view.abandoned) {
    lines.push(
      `  ${'ABANDONED'.padEnd(14)}${view.abandoned.reason} at ${time(view.abandoned.at)}`,
      `  ${''.padEnd(14)}${view.abandoned.detail}`,
    );
  }
  if (view.stuck) {
    lines.push(
      `  ${'STUCK'.padEnd(14)}${view.stuck.reason}`,
      `  ${''.padEnd(14)}→ ${view.stuck.advice}`,
    );
  }
  if (stored.stateJson !== undefined) lines.push(`  ${'state'.padEnd(14)}${stored.stateJson}`);
  lines.push('', ...formatHistory(stored.history));
  return `${lines.join('\n')}\n`;
}

/**
 * A run's history: one block per committed invocation, oldest first.
 *
 * @example
 * ```ts
 * out.write(formatHistory(found.history).join('\n'));
 * ```
 */
export function formatHistory(history: readonly HistoryRecord[]): string[] {
  if (history.length === 0) return ['history: no invocation has committed yet'];
  const sorted = [...history].sort((a, b) => a.jobSeq - b.jobSeq);
  const lines = [
    `history (${sorted.length} committed invocation${sorted.length === 1 ? '' : 's'}):`,
  ];
  for (let index = 0; index < sorted.length; index += 1) {
    const record = sorted[index] as HistoryRecord;
    const streak = earlyStreakFrom(sorted, index);
    if (streak.length >= 3) {
      const last = streak.at(-1) as HistoryRecord;
      lines.push(
        `  jobs ${jobNumberOf(record.jobSeq)}–${jobNumberOf(last.jobSeq)} · ${streak.length} invocations that came ` +
          `before the wait was over · ${clockTime(record.startedAt)} → ${clockTime(last.committedAt)}`,
        `    ${describeHistoryEntry(record.entries[0] as HistoryEntry)}`,
      );
      index += streak.length - 1;
      continue;
    }
    const request = record.requestId ? ` · request ${shortenId(record.requestId)}` : '';
    lines.push(
      `  job ${jobNumberOf(record.jobSeq)} (${shortenId(record.jobId)})${request} · ` +
        `${clockTime(record.startedAt)} → ${clockTime(record.committedAt)} ` +
        `(${formatDuration(record.committedAt - record.startedAt)})`,
    );
    if (record.entries.length === 0) lines.push('    (no step ran: too little time was left)');
    for (const entry of record.entries) {
      lines.push(`    ${clockTime(entry.at)}  ${describeHistoryEntry(entry)}`);
    }
    if (record.droppedEntries) lines.push(`    (${record.droppedEntries} entries not kept)`);
  }
  return lines;
}

/**
 * The records from `start` on that each only found the run not due yet, with
 * the same resume time.
 */
function earlyStreakFrom(records: readonly HistoryRecord[], start: number): HistoryRecord[] {
  const first = loneResumeLater(records[start]);
  if (first === undefined) return [];
  const streak: HistoryRecord[] = [];
  for (let index = start; index < records.length; index += 1) {
    const record = records[index] as HistoryRecord;
    if (loneResumeLater(record) !== first) break;
    streak.push(record);
  }
  return streak;
}

function loneResumeLater(record: HistoryRecord | undefined): string | undefined {
  const entry = record?.entries.length === 1 ? record.entries[0] : undefined;
  return entry?.outcome === 'resume-later' ? (entry.detail ?? '') : undefined;
}

/** `HH:MM:SS.mmm` in UTC. */
function clockTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 23);
}
