import { describe, expect, it } from 'vitest';
import { goTo } from '../../job/transitions.js';
import { applyGoTo } from './go-to.js';
import type { TransitionInput } from './verdict.js';

const input = (over: Partial<TransitionInput> = {}): TransitionInput => ({
  job: {
    name: 'j',
    stepNames: ['a', 'b'],
    maxStateBytes: 100,
    handler: (s) => (s === 'a' || s === 'b' ? () => 0 : undefined),
  },
  cursor: {
    step: 'a',
    attempt: 3,
    visit: 2,
    resumeAt: 5,
    lastError: 'x',
    stateJson: '{"n":1}',
    progress: { summary: 'p' },
  },
  state: { n: 1 },
  jobId: 'job',
  jobSeq: 4,
  now: 1000,
  deadlineAt: 86_400_000,
  ...over,
});

describe('goTo', () => {
  it('moves to the step at once: a new visit, attempt 1, the state merged, the error cleared', () => {
    expect(applyGoTo(goTo('b', { m: 2 }), input())).toEqual({
      kind: 'next',
      cursor: {
        step: 'b',
        attempt: 1,
        visit: 3,
        stateJson: '{"n":1,"m":2}',
        progress: { summary: 'p' },
      },
      note: { outcome: 'goTo', detail: 'b' },
    });
  });

  it('keeps the stored state when no update is given, and counts a visit to the same step', () => {
    const verdict = applyGoTo(goTo('a'), input());
    expect(verdict).toMatchObject({
      kind: 'next',
      cursor: { step: 'a', visit: 3, stateJson: '{"n":1}' },
    });
  });

  it('fails the run on an unknown step, naming the steps', () => {
    expect(applyGoTo(goTo('c'), input())).toMatchObject({
      kind: 'final',
      outcome: {
        kind: 'fail',
        jobSeq: 4,
        message: "step 'a' returned goTo to unknown step 'c' (steps: a, b)",
      },
      note: { outcome: 'fail' },
    });
  });

  it('fails the run on a step name that is not a string', () => {
    expect(applyGoTo({ kind: 'goTo', step: 3 as unknown as string }, input())).toMatchObject({
      kind: 'final',
      outcome: {
        message: "step 'a' returned goTo() with a step of type number; expected a step name",
      },
    });
  });

  it('fails the run when the new state is over maxStateBytes, keeping the stored one', () => {
    const verdict = applyGoTo(goTo('b', { blob: 'x'.repeat(200) }), input());
    expect(verdict).toMatchObject({
      kind: 'final',
      outcome: {
        message: expect.stringMatching(/^job j: the state after step 'a' is 2\d\d bytes of JSON/),
      },
      cursor: { stateJson: '{"n":1}' },
    });
  });
});
