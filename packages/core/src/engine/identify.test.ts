import { describe, expect, it } from 'vitest';
import { defineJob } from '../job/define-job.js';
import { succeed } from '../job/transitions.js';
import { runIdForJob } from '../token/continuation-token.js';
import { identify } from './identify.js';

const job = defineJob({
  name: 'j',
  initialState: {},
  firstStep: 'a',
  steps: { a: () => succeed() },
});
const event = (data: Record<string, unknown>) => ({
  'CodePipeline.job': {
    id: 'job-1',
    data: {
      actionConfiguration: { configuration: { FunctionName: 'f', UserParameters: '{"a":1}' } },
      ...data,
    },
  },
});

describe('identify', () => {
  it('derives a first job’s run from its job id, at jobSeq 0', async () => {
    expect(await identify(job, event({}))).toMatchObject({
      kind: 'identified',
      runId: runIdForJob('job-1'),
      jobSeq: 0,
      params: { a: 1 },
    });
  });

  it('reads run, jobSeq and nonce from a continuation token', async () => {
    const token = `bt1.${'b'.repeat(32)}.4.${'N'.repeat(22)}`;
    const identified = await identify(job, event({ continuationToken: token }));
    expect(identified).toMatchObject({ runId: 'b'.repeat(32), jobSeq: 4, nonce: 'N'.repeat(22) });
  });

  it('names every configuration problem at once', async () => {
    const bad = event({ continuationToken: 'nope' });
    bad['CodePipeline.job'].data.actionConfiguration.configuration.UserParameters = 'not json';
    const identified = await identify(job, bad);
    expect(identified.kind).toBe('rejected');
    if (identified.kind !== 'rejected') return;
    expect(identified.error.message).toMatch(
      /not a Baton token.*; also, UserParameters is not valid JSON/,
    );
  });
});
