import { describe, expect, it } from 'vitest';
import { fail } from '../../job/transitions.js';
import { applyFail } from './fail.js';
import type { TransitionInput } from './verdict.js';

const input: TransitionInput = {
  job: { name: 'j', stepNames: ['a'], maxStateBytes: 1000, handler: () => () => 0 },
  cursor: { step: 'a', attempt: 1, visit: 1 },
  state: {},
  jobId: 'job',
  jobSeq: 0,
  now: 0,
  deadlineAt: 86_400_000,
};

describe('fail', () => {
  it('ends the run with the failure type and message', () => {
    expect(applyFail(fail({ type: 'PermissionError', message: 'denied' }), input)).toEqual({
      kind: 'final',
      outcome: {
        kind: 'fail',
        jobId: 'job',
        jobSeq: 0,
        failureType: 'PermissionError',
        message: 'denied',
      },
      cursor: input.cursor,
      note: { outcome: 'fail', detail: 'denied' },
    });
  });

  it('says which step failed when the message is empty', () => {
    expect(applyFail(fail({ message: '' }), input)).toMatchObject({
      outcome: { failureType: 'JobFailed', message: "step 'a' failed" },
    });
  });

  it('fails with JobFailed naming the problem on a type CodePipeline does not know', () => {
    expect(applyFail({ kind: 'fail', type: 'Oops' as never, message: 'x' }, input)).toMatchObject({
      outcome: {
        failureType: 'JobFailed',
        message: expect.stringMatching(
          /^step 'a' returned fail\(\) with type "Oops"; expected one of JobFailed, /,
        ),
      },
    });
  });

  it('fails with JobFailed on a message that is not a string', () => {
    expect(applyFail({ kind: 'fail', message: 42 as unknown as string }, input)).toMatchObject({
      outcome: {
        message: "step 'a' returned fail() with a message of type number; expected a string",
      },
    });
  });
});
