/**
 * Test doubles the engine's unit tests share: a logger that prints nothing,
 * a reporter that records what it is asked to send, and the CodePipeline
 * event of a job. Not exported from the package.
 */
import type { Logger } from '../logging/logger.js';
import type { Outcome } from '../store/run-record.js';
import type { Reporter, ReportStatus } from './ports/reporter.js';

/** A logger that drops every line. */
export const quietLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** A reporter that accepts every outcome and keeps it, with its run id, in order. */
export class RecordingReporter implements Reporter {
  public readonly sent: Array<{ outcome: Outcome; runId: string }> = [];

  public async report(outcome: Outcome, runId: string): Promise<ReportStatus> {
    this.sent.push({ outcome, runId });
    return 'sent';
  }
}

/** The event CodePipeline sends for job `jobId`, with `continuationToken` when given. */
export function jobEvent(jobId: string, continuationToken?: string) {
  return {
    'CodePipeline.job': {
      id: jobId,
      data: {
        actionConfiguration: { configuration: { FunctionName: 'f', UserParameters: '{}' } },
        ...(continuationToken ? { continuationToken } : {}),
      },
    },
  };
}
