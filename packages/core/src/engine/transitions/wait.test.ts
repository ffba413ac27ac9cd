import { describe, expect, it } from 'vitest';
import { wait } from '../../job/transitions.js';
import type { TransitionInput } from './verdict.js';
import { applyWait } from './wait.js';

const input = (over: Partial<TransitionInput> = {}): TransitionInput => ({
  job: {
    name: 'j',
    stepNames: ['a', 'b'],
    maxStateBytes: 1000,
    handler: (s) => (s === 'a' || s === 'b' ? () => 0 : undefined),
  },
  cursor: { step: 'a', attempt: 2, visit: 2, lastError: 'x', stateJson: '{}' },
  state: {},
  jobId: 'job',
  jobSeq: 1,
  now: 1000,
  deadlineAt: 86_400_000,
  ...over,
});

describe('wait', () => {
  it('runs the same step again after the delay, in the same visit, with its progress', () => {
    expect(
      applyWait(
        wait({ seconds: 30, percentComplete: 40, summary: 'half', state: { k: 1 } }),
        input(),
      ),
    ).toEqual({
      kind: 'next',
      cursor: {
        step: 'a',
        attempt: 1,
        visit: 2,
        resumeAt: 31_000,
        progress: { percentComplete: 40, summary: 'half' },
        stateJson: '{"k":1}',
      },
      note: { outcome: 'wait', detail: '30 s: half' },
    });
  });

  it('starts a new visit when it names another step', () => {
    expect(applyWait(wait({ seconds: 0, step: 'b' }), input())).toMatchObject({
      kind: 'next',
      cursor: { step: 'b', visit: 3, resumeAt: 1000, progress: {} },
      note: { detail: '0 s' },
    });
  });

  it.each([
    [{ seconds: -1 }, "step 'a' returned wait() with seconds=-1; expected a number ≥ 0"],
    [{ seconds: Number.NaN }, "step 'a' returned wait() with seconds=NaN; expected a number ≥ 0"],
    [
      { seconds: 1, percentComplete: 101 },
      "step 'a' returned wait() with percentComplete=101; expected an integer 0–100",
    ],
    [
      { seconds: 1, percentComplete: 1.5 },
      "step 'a' returned wait() with percentComplete=1.5; expected an integer 0–100",
    ],
  ])('fails the run on %j, writing no history line', (options, message) => {
    const verdict = applyWait(wait(options), input());
    expect(verdict).toEqual({
      kind: 'final',
      outcome: { kind: 'fail', jobId: 'job', jobSeq: 1, failureType: 'JobFailed', message },
      cursor: input().cursor,
    });
  });

  it('fails the run on a summary that is not a string', () => {
    expect(
      applyWait({ kind: 'wait', seconds: 1, summary: 5 as unknown as string }, input()),
    ).toMatchObject({
      outcome: {
        message: "step 'a' returned wait() with a summary of type number; expected a string",
      },
      note: { outcome: 'fail' },
    });
  });
});
