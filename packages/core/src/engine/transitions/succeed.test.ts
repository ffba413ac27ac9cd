import { describe, expect, it } from 'vitest';
import { succeed } from '../../job/transitions.js';
import { applySucceed } from './succeed.js';
import type { TransitionInput } from './verdict.js';

const input: TransitionInput = {
  job: { name: 'j', stepNames: ['a'], maxStateBytes: 1000, handler: () => () => 0 },
  cursor: { step: 'a', attempt: 1, visit: 1 },
  state: {},
  jobId: 'job',
  jobSeq: 2,
  now: 0,
  deadlineAt: 86_400_000,
};

describe('succeed', () => {
  it('ends the run with its output variables and summary', () => {
    expect(
      applySucceed(succeed({ outputVariables: { id: 'd-1' }, summary: 'done' }), input),
    ).toEqual({
      kind: 'final',
      outcome: {
        kind: 'succeed',
        jobId: 'job',
        jobSeq: 2,
        outputVariables: { id: 'd-1' },
        summary: 'done',
      },
      cursor: input.cursor,
      note: { outcome: 'succeed', detail: 'done' },
    });
  });

  it('leaves out empty output variables and keeps a long summary whole (the commit cuts it, after redaction)', () => {
    const verdict = applySucceed(
      succeed({ outputVariables: {}, summary: 'x'.repeat(3000) }),
      input,
    );
    if (verdict.kind !== 'final' || verdict.outcome.kind !== 'succeed')
      throw new Error('not a success');
    expect(verdict.outcome.outputVariables).toBeUndefined();
    expect(verdict.outcome.summary).toHaveLength(3000);
  });

  it('fails the run when CodePipeline would refuse the output variables', () => {
    expect(applySucceed(succeed({ outputVariables: { 'bad key': 'v' } }), input)).toMatchObject({
      kind: 'final',
      outcome: {
        kind: 'fail',
        message: expect.stringMatching(
          /^step 'a' succeeded with unusable output: .*"bad key" is invalid/,
        ),
      },
    });
  });
});
