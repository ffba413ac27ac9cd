import type { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../logging/logger.js';
import type { Outcome } from '../store/run-record.js';
import { CodePipelineReporter } from './codepipeline-reporter.js';

// When InvalidJobStateException means "the job takes no result any more"
// (refused) and when it means "the job has this result already". A narrow
// unit test: the client answers from a script.

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const outcome: Outcome = { kind: 'succeed', jobId: 'job-1', jobSeq: 0 };

function answered(status: number, name: string): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

/** A reporter whose client answers each send with the next scripted error, then success. */
function reporterAnswering(...errors: Error[]) {
  let sends = 0;
  const client = {
    send: async () => {
      const error = errors[sends];
      sends += 1;
      if (error) throw error;
      return {};
    },
  } as unknown as CodePipelineClient;
  const reporter = new CodePipelineReporter({
    client,
    logger: quiet,
    minRetryDelayMs: 1,
    maxRetryDelayMs: 1,
  });
  return { reporter, sends: () => sends };
}

describe('CodePipelineReporter and InvalidJobStateException', () => {
  it('is refused when it answers the first attempt', async () => {
    const { reporter, sends } = reporterAnswering(answered(400, 'InvalidJobStateException'));
    expect(await reporter.report(outcome, 'run-1', 5000)).toBe('refused');
    expect(sends()).toBe(1);
  });

  it('is already reported after a throttled attempt (a duplicate may have sent the outcome meanwhile)', async () => {
    const { reporter, sends } = reporterAnswering(
      answered(400, 'ThrottlingException'),
      answered(400, 'InvalidJobStateException'),
    );
    expect(await reporter.report(outcome, 'run-1', 5000)).toBe('already-reported');
    expect(sends()).toBe(2);
  });

  it('is already reported after an attempt that may have landed (a 5xx)', async () => {
    const { reporter } = reporterAnswering(
      answered(500, 'InternalServerError'),
      answered(400, 'InvalidJobStateException'),
    );
    expect(await reporter.report(outcome, 'run-1', 5000)).toBe('already-reported');
  });
});
