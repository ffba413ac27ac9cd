/** Small text helpers shared by the CLI's displays. */
import { jobNumberOf } from './job-number.js';

/**
 * A duration in the largest units that matter: `850ms`, `4.2s`, `3m 05s`,
 * `2h 10m`, `30d 04h`.
 *
 * @example
 * ```ts
 * formatDuration(185_000); // '3m 05s'
 * ```
 */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(ms)}ms`;
  if (abs < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(abs / 1000);
  const sign = ms < 0 ? '-' : '';
  if (totalSeconds < 3600) {
    return `${sign}${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
  }
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 48 * 60) {
    return `${sign}${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
  }
  const hours = Math.floor(minutes / 60);
  return `${sign}${Math.floor(hours / 24)}d ${String(hours % 24).padStart(2, '0')}h`;
}

/**
 * An epoch-ms time as ISO 8601 (UTC, whole seconds) with how long ago (or
 * ahead) it is: `2025-01-02T10:00:00Z (3m 05s ago)`.
 *
 * @example
 * ```ts
 * formatTime(Date.now() - 5_000, Date.now()); // '…Z (5.0s ago)'
 * ```
 */
export function formatTime(epochMs: number, now: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z (${formatAgo(epochMs, now)})`;
}

/**
 * How long ago an epoch-ms time is, or how far ahead: runs played by the
 * emulator carry its pipeline clock, which runs ahead of the wall clock.
 *
 * @example
 * ```ts
 * formatAgo(Date.now() - 5_000, Date.now()); // '5.0s ago'
 * formatAgo(Date.now() + 2_000, Date.now()); // 'in 2.0s'
 * ```
 */
export function formatAgo(epochMs: number, now: number): string {
  const delta = now - epochMs;
  return delta >= 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`;
}

/**
 * Pipeline time since an action started, `m:ss` or `h:mm:ss`.
 *
 * @example
 * ```ts
 * formatClock(62_000); // '1:02'
 * ```
 */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

const BATON_TOKEN = /^bt1\.([0-9a-f]{32})\.(\d+)\./;

/**
 * A continuation token shortened for display: recognisable, but not usable
 * (a Baton token's nonce is left out). Baton tokens show their run (the
 * short run id `baton runs show` takes) and the job that carries them,
 * numbered from 1 as in `baton local`: `bt1.5f0c2a9e… (job 3, 61 chars)`;
 * others their start: `eyJhbGciOi… (212 chars)`.
 *
 * @example
 * ```ts
 * shortenToken('bt1.5f0c….2.…'); // 'bt1.5f0c2a9e… (job 3, 61 chars)'
 * ```
 */
export function shortenToken(token: string): string {
  const baton = BATON_TOKEN.exec(token);
  if (baton) {
    const job = jobNumberOf(Number(baton[2]));
    return `bt1.${baton[1]?.slice(0, 8)}… (job ${job}, ${token.length} chars)`;
  }
  return token.length <= 12 ? token : `${token.slice(0, 10)}… (${token.length} chars)`;
}

/**
 * An id shortened to its first characters: `5f0c2a9e…`.
 *
 * @example
 * ```ts
 * shortenId('c0d76431-b0e7-4c2e-97e3-e8ee786eb6f6'); // 'c0d76431…'
 * ```
 */
export function shortenId(id: string, keep = 8): string {
  return id.length <= keep + 1 ? id : `${id.slice(0, keep)}…`;
}

/**
 * A text progress bar that needs no terminal: `[██████░░░░░░░░░░░░░░]  30%`.
 *
 * @example
 * ```ts
 * progressBar(30, 20); // '[██████░░░░░░░░░░░░░░]  30%'
 * ```
 */
export function progressBar(percent: number, width = 20): string {
  const clamped = Math.min(100, Math.max(0, Math.round(percent)));
  const filled = Math.round((clamped / 100) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(clamped).padStart(3)}%`;
}

/**
 * Text cut to `max` characters with an ellipsis.
 *
 * @example
 * ```ts
 * truncate('a long message', 6); // 'a lon…'
 * ```
 */
export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Rows as aligned columns (two spaces apart); the last column is not padded.
 *
 * @example
 * ```ts
 * formatColumns([['RUN', 'STATUS'], ['5f0c…', 'running']]);
 * ```
 */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
