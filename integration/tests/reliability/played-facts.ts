/**
 * What the invariant checks read off a played schedule: its report requests,
 * how its invocations ended, and JSON compared without regard to key order.
 */
import type { TimelineEvent } from '@baton/testing';

export type Report = Extract<TimelineEvent, { type: 'report-received' }>;

/** The fields of a report request the checks look at. */
export interface ReportBody {
  jobId?: string;
  continuationToken?: string;
  outputVariables?: Record<string, string>;
  executionDetails?: { externalExecutionId?: string };
  failureDetails?: { type?: string; message?: string; externalExecutionId?: string };
}

/** Every report request the emulator received, in order. */
export function reportsOf(timeline: readonly TimelineEvent[]): Report[] {
  return timeline.filter((e): e is Report => e.type === 'report-received');
}

export function bodyOf(report: Report): ReportBody {
  return report.request as ReportBody;
}

/** A failure by the crash limit: the step and how many invocations before it died. */
export const CRASH_LIMIT_MESSAGE =
  /^step '(\w+)' \(attempt \d+\) was started by (\d+) invocations? in a row/;

interface EndedInvocation {
  kind: string;
  error?: { name: string };
}

/**
 * A container killed by a crash fault. Killed while it still loads the
 * handler (a cold start), the invocation ends as Lambda's `Runtime.ExitError`.
 */
export function killed(outcome: EndedInvocation): boolean {
  return (
    outcome.kind === 'crashed' ||
    (outcome.kind === 'errored' && outcome.error?.name === 'Runtime.ExitError')
  );
}

/** A failure of DynamoDB or CodePipeline, as Baton passes it to Lambda. */
export function dependencyError(outcome: EndedInvocation): boolean {
  return (
    outcome.kind === 'errored' &&
    (outcome.error?.name === 'StoreError' || outcome.error?.name === 'ReportError')
  );
}

/** JSON with sorted keys: DynamoDB gives maps back in any order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
