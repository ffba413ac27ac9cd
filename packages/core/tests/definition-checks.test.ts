/** Every numeric option is checked when the job (and its handler) is defined. */
import { describe, expect, it } from 'vitest';
import { createLambdaHandler, defineJob, JobDefinitionError, succeed } from '../src/index.js';

const base = {
  name: 't',
  initialState: {},
  firstStep: 'a' as const,
  steps: { a: () => succeed() },
};

describe('defineJob options', () => {
  it.each([
    [
      'deadlineSeconds',
      86_400,
      /deadlineSeconds must be a number from 1 to 84600.*24 hours.*got 86400/,
    ],
    ['deadlineSeconds', 84_601, /deadlineSeconds/],
    ['deadlineSeconds', 0, /deadlineSeconds.*got 0/],
    ['deadlineSeconds', Number.NaN, /deadlineSeconds.*got NaN/],
    ['deadlineSeconds', Number.POSITIVE_INFINITY, /deadlineSeconds.*got Infinity/],
    ['maxStateBytes', 350 * 1024, /maxStateBytes must be an integer from 1 to 262144.*400 KB/],
    ['maxStateBytes', 1.5, /maxStateBytes/],
    ['maxInlineWaitSeconds', -1, /maxInlineWaitSeconds/],
    ['maxInlineWaitSeconds', 901, /maxInlineWaitSeconds.*15 minutes/],
    ['maxInlineWaitSeconds', '30', /maxInlineWaitSeconds.*got "30"/],
  ])('rejects %s = %s, naming it', (option, value, message) => {
    expect(() => defineJob({ ...base, [option]: value })).toThrow(JobDefinitionError);
    expect(() => defineJob({ ...base, [option]: value })).toThrow(message);
  });

  it.each([
    [{ maximumAttempts: Number.POSITIVE_INFINITY }, /retry.maximumAttempts/],
    [{ maximumAttempts: 0 }, /retry.maximumAttempts/],
    [{ initialIntervalSeconds: Number.NaN }, /retry.initialIntervalSeconds/],
    [{ backoffCoefficient: 0.5 }, /retry.backoffCoefficient/],
    [{ maximumIntervalSeconds: Number.MAX_SAFE_INTEGER }, /retry.maximumIntervalSeconds/],
    [{ initialIntervalSeconds: 10, maximumIntervalSeconds: 5 }, /maximumIntervalSeconds.*from 10/],
    [{ nonRetryableErrors: 'Fatal' }, /retry.nonRetryableErrors/],
  ])('rejects the retry policy %j', (retry, message) => {
    expect(() => defineJob({ ...base, retry: retry as never })).toThrow(message);
  });

  it('names the step of a bad step policy', () => {
    expect(() =>
      defineJob({
        ...base,
        steps: { a: { run: () => succeed(), retry: { maximumAttempts: 1.5 } } },
      }),
    ).toThrow(/step a: retry.maximumAttempts/);
  });

  it('accepts the largest values in range', () => {
    const job = defineJob({
      ...base,
      deadlineSeconds: 84_600,
      maxStateBytes: 262_144,
      maxInlineWaitSeconds: 900,
      retry: { maximumAttempts: 10_000, initialIntervalSeconds: 84_600 },
    });
    expect(job.retryPolicy('a').maximumIntervalSeconds).toBe(84_600);
  });
});

describe('createLambdaHandler options', () => {
  const job = defineJob(base);
  it.each([
    ['retentionDays', 0, /retentionDays must be a number from 1 to 3650.*deadline.*got 0/],
    ['retentionDays', Number.NaN, /retentionDays/],
    ['safetyMarginMs', -1, /safetyMarginMs/],
    ['retryTakeoverAfterMs', Number.POSITIVE_INFINITY, /retryTakeoverAfterMs/],
  ])('rejects %s = %s, naming it', (option, value, message) => {
    expect(() => createLambdaHandler(job, { tableName: 't', [option]: value })).toThrow(message);
  });

  it('accepts a retention of one day (longer than any deadline)', () => {
    expect(() => createLambdaHandler(job, { tableName: 't', retentionDays: 1 })).not.toThrow();
  });
});
