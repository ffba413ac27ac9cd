import {
  CutOffPoint,
  DuplicateMode,
  type Fault,
  FaultKind,
  type FaultReport,
} from '@baton/testing';
import { UsageError } from './cli-command.js';
import { integerOption } from './parse-command-line.js';

/**
 * The faults `baton local --duplicate`/`--crash`/`--crash-at` ask for. Jobs
 * are numbered from 1, as on the timeline.
 *
 * @throws {UsageError} for a bad number or crash point
 * @example
 * ```ts
 * faultsFromFlags(['2'], ['1'], '1500'); // job 2 twice; job 1 killed 1.5 s in
 * ```
 */
export function faultsFromFlags(
  duplicates: readonly string[],
  crashes: readonly string[],
  crashAt: string | undefined,
): Fault[] {
  if (crashAt !== undefined && crashes.length === 0) {
    throw new UsageError('--crash-at needs --crash <job>');
  }
  const at = crashAtFrom(crashAt ?? CutOffPoint.ReportReceived);
  return [
    ...duplicates.map(
      (text): Fault => ({
        kind: FaultKind.DuplicateDelivery,
        mode: DuplicateMode.Sequential,
        when: { sequence: integerOption('duplicate', text, 1) },
      }),
    ),
    ...crashes.map(
      (text): Fault => ({
        kind: FaultKind.CutOff,
        at,
        when: { sequence: integerOption('crash', text, 1), attempt: 1, delivery: 1 },
      }),
    ),
  ];
}

function crashAtFrom(text: string): CutOffPoint | { afterMs: number } {
  if (text === CutOffPoint.ReportReceived || text === CutOffPoint.ReportApplied) return text;
  if (/^\d+$/.test(text)) return { afterMs: Number(text) };
  throw new UsageError(
    `--crash-at must be report-received, report-applied or a number of milliseconds, got '${text}'`,
  );
}

/**
 * A requested fault in words: `job 2 delivered twice`.
 *
 * @example
 * ```ts
 * faults.map(describeFault).join('; ');
 * ```
 */
export function describeFault(fault: Fault): string {
  const sequence = fault.when?.sequence;
  if (fault.kind === FaultKind.DuplicateDelivery) return `job ${sequence} delivered twice`;
  if (fault.kind === FaultKind.CutOff) {
    const at = typeof fault.at === 'object' ? `${fault.at.afterMs} ms in` : `at ${fault.at}`;
    return `job ${sequence}'s first invocation killed ${at}`;
  }
  return fault.kind;
}

/**
 * Warnings for the requested faults that never fired, with why that
 * usually happens, so a played action is not mistaken for a tested one.
 *
 * @example
 * ```ts
 * for (const line of unfiredFaultWarnings(result.faults, result.jobs.length)) out.write(`${line}\n`);
 * ```
 */
export function unfiredFaultWarnings(reports: readonly FaultReport[], jobs: number): string[] {
  return reports
    .filter((report) => !report.fired)
    .map((report) => {
      const sequence = report.fault.when?.sequence;
      const wanted = typeof sequence === 'number' ? sequence : undefined;
      const why =
        wanted !== undefined && wanted > jobs
          ? `the action had ${jobs} job${jobs === 1 ? '' : 's'}, no job ${wanted}`
          : report.fault.kind === FaultKind.CutOff && typeof report.fault.at === 'object'
            ? 'the invocation ended before that time'
            : 'its invocation never reached that point';
      return `warning: fault never fired: ${describeFault(report.fault)} (${why})`;
    });
}
