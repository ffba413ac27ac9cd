import { describe, expect, it } from 'vitest';
import { resolveRetryPolicy } from '../../job/retry-policy.js';
import type { Logger } from '../../logging/logger.js';
import { applyStepError } from './step-error.js';
import type { TransitionInput } from './verdict.js';

const lines: string[] = [];
const logger: Logger = {
  debug: () => {},
  info: () => {},
  warn: (m) => void lines.push(`WARN ${m}`),
  error: (m) => void lines.push(`ERROR ${m}`),
};
const input = (attempt: number): TransitionInput => ({
  job: { name: 'j', stepNames: ['a'], maxStateBytes: 1000, handler: () => () => 0 },
  cursor: { step: 'a', attempt, visit: 1, stateJson: '{}' },
  state: {},
  jobId: 'job',
  jobSeq: 0,
  now: 10_000,
  deadlineAt: 86_400_000,
});
const policy = resolveRetryPolicy({
  maximumAttempts: 3,
  initialIntervalSeconds: 2,
  nonRetryableErrors: ['Forbidden'],
});
const failure = (name = 'Error', retryable = true) => {
  const error = new Error('boom');
  error.name = name;
  return { error, retryable, text: `${name}: boom` };
};

describe('a step that threw', () => {
  it('is retried after the backoff delay, keeping the error', () => {
    expect(applyStepError(failure(), policy, input(2), logger)).toEqual({
      kind: 'next',
      cursor: {
        step: 'a',
        attempt: 3,
        visit: 1,
        stateJson: '{}',
        resumeAt: 14_000,
        lastError: 'Error: boom',
      },
      note: { outcome: 'error', detail: 'Error: boom; retry in 4 s' },
    });
    expect(lines.at(-1)).toBe('WARN step failed; will retry');
  });

  it('fails the run after the last attempt', () => {
    expect(applyStepError(failure(), policy, input(3), logger)).toMatchObject({
      kind: 'final',
      outcome: { message: "step 'a' failed after 3 attempts: Error: boom" },
      cursor: { lastError: 'Error: boom' },
      note: { outcome: 'error', detail: 'Error: boom' },
    });
  });

  it.each([
    ['a non-retryable error name', failure('Forbidden')],
    ['an error no retry can fix', failure('TypeError', false)],
  ])('fails the run at once on %s', (_what, f) => {
    expect(applyStepError(f, policy, input(1), logger)).toMatchObject({
      kind: 'final',
      outcome: { message: expect.stringMatching(/^step 'a' failed with a non-retryable error: /) },
    });
  });
});
