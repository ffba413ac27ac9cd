import type { HistoryRecord } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { describeHistoryEntry, formatHistory } from '../src/format-run.js';
import {
  formatAgo,
  formatClock,
  formatColumns,
  formatDuration,
  formatTime,
  progressBar,
  shortenToken,
} from '../src/text-format.js';

describe('CLI text formatting', () => {
  it("says how long ago a time is, or how far ahead (the emulator's pipeline clock runs ahead)", () => {
    const now = Date.UTC(2026, 0, 2, 10, 0, 5);
    expect(formatAgo(now - 5_000, now)).toBe('5.0s ago');
    expect(formatAgo(now + 2_000, now)).toBe('in 2.0s');
    expect(formatTime(now - 5_000, now)).toBe('2026-01-02T10:00:00Z (5.0s ago)');
    expect(formatTime(now + 2_000, now)).toBe('2026-01-02T10:00:07Z (in 2.0s)');
  });

  it('shortens Baton tokens to run and the job carrying them, never showing the nonce', () => {
    const token = `bt1.${'5f0c2a9e'.repeat(4)}.12.Qm9uY2VOb25jZU5vbmNlTg`;
    expect(shortenToken(token)).toBe(`bt1.5f0c2a9e… (job 13, ${token.length} chars)`);
    expect(shortenToken(token)).not.toContain('Qm9u');
    expect(shortenToken('x'.repeat(200))).toBe(`${'x'.repeat(10)}… (200 chars)`);
    expect(shortenToken('short')).toBe('short');
  });

  it('draws progress bars of a fixed width, clamped to 0–100', () => {
    expect(progressBar(0, 10)).toBe('[░░░░░░░░░░]   0%');
    expect(progressBar(25, 20)).toBe('[█████░░░░░░░░░░░░░░░]  25%');
    expect(progressBar(140, 10)).toBe('[██████████] 100%');
  });

  it('formats durations and pipeline clocks in the units that matter', () => {
    expect(
      [850, 4_200, 185_000, 2 * 3_600_000 + 600_000, 30 * 86_400_000 + 4 * 3_600_000].map(
        formatDuration,
      ),
    ).toEqual(['850ms', '4.2s', '3m 05s', '2h 10m', '30d 04h']);
    expect([0, 62_000, 3_723_000].map(formatClock)).toEqual(['0:00', '1:02', '1:02:03']);
  });

  it('aligns columns without padding the last one', () => {
    expect(
      formatColumns([
        ['A', 'BB', 'C'],
        ['long', 'x', ''],
      ]),
    ).toBe('A     BB  C\nlong  x');
  });

  it('describes history entries', () => {
    const at = 0;
    expect(
      describeHistoryEntry({ at, step: 'start', attempt: 1, outcome: 'goTo', detail: 'poll' }),
    ).toBe('start → goTo poll');
    expect(
      describeHistoryEntry({
        at,
        step: 'start',
        attempt: 2,
        outcome: 'error',
        detail: 'E: x; retry in 4 s',
      }),
    ).toBe('start (attempt 2) → threw E: x; retry in 4 s');
    expect(
      describeHistoryEntry({
        at,
        step: 'poll',
        attempt: 1,
        outcome: 'resume-later',
        detail: 'resumes at T',
      }),
    ).toBe('poll: not due yet, resumes at T');
  });

  it('folds a streak of invocations that only found the run not due yet', () => {
    const at = Date.UTC(2025, 0, 2, 10, 0, 0);
    const record = (sequence: number, entries: HistoryRecord['entries']): HistoryRecord => ({
      runId: 'r',
      jobSeq: sequence,
      jobId: `job-${sequence}-xxxxxxxx`,
      startedAt: at + sequence * 1000,
      committedAt: at + sequence * 1000 + 5,
      entries,
    });
    const early = [
      { at, step: 'poll', attempt: 1, outcome: 'resume-later', detail: 'resumes at T' },
    ];
    expect(
      formatHistory([
        record(0, [{ at, step: 'start', attempt: 1, outcome: 'goTo', detail: 'poll' }]),
        record(1, early),
        record(2, early),
        record(3, early),
        record(4, [{ at, step: 'poll', attempt: 1, outcome: 'succeed' }]),
      ]),
    ).toEqual([
      'history (5 committed invocations):',
      '  job 1 (job-0-xx…) · 10:00:00.000 → 10:00:00.005 (5ms)',
      '    10:00:00.000  start → goTo poll',
      '  jobs 2–4 · 3 invocations that came before the wait was over · 10:00:01.000 → 10:00:03.005',
      '    poll: not due yet, resumes at T',
      '  job 5 (job-4-xx…) · 10:00:04.000 → 10:00:04.005 (5ms)',
      '    10:00:00.000  poll → succeed',
    ]);
  });
});
