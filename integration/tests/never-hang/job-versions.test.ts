/**
 * Never hang, the edge suite: a deployment while runs are in flight. Version
 * 1 of a job leaves its run waiting between invocations; then version 2 is
 * deployed (the handler answering from the second invocation on), which
 * renamed the waiting step and reshaped the state. With `migrate` the run
 * goes on under version 2; without it, the run fails at once with a
 * committed `JobFailed` naming both versions and the step, and no invocation
 * throws into Lambda's retry (`edge-row.ts`).
 */
import { expect } from 'vitest';
import { deployV1, deployV2, fromV1 } from '../../fixtures/never-hang/versioned-jobs.js';
import { describeEdgeRows, type EdgeRow } from './edge-row.js';

const ROWS: Record<string, EdgeRow> = {
  'a deployment of version 2 carries a waiting run of version 1 over with migrate': {
    point: 'job versions: migrate takes over in-flight runs of an older version',
    job: deployV1,
    upgrade: { job: (count) => deployV2(count, fromV1), afterInvocations: 1 },
    expected: { status: 'Succeeded' },
    // Version 1's `poll` is version 2's `watch`: it goes on there, with version 1's deployment.
    userCodeRuns: { 'v1:start': 1, 'v1:poll': 1, 'v2:watch': 1 },
    check: (played) => {
      expect(played.result.outputVariables).toEqual({ deploymentId: 'd-1' });
      expect(played.written).toContain('"jobVersion":{"N":"2"}');
    },
  },
  'a deployment of version 2 without migrate fails a waiting run of version 1, naming both versions':
    {
      point: 'job versions: a run that cannot be migrated fails, naming both versions and the step',
      job: deployV1,
      upgrade: { job: (count) => deployV2(count, undefined), afterInvocations: 1 },
      expected: {
        status: 'Failed',
        failureType: 'JobFailed',
        message:
          /^job versioned-deploy: the run was written by version 1 of the job at step 'poll', and this deployment runs version 2; the job declares no migrate\(\) to carry it over$/,
      },
      userCodeRuns: { 'v1:start': 1, 'v1:poll': 1 },
    },
  'a migrate that throws fails the run, naming both versions and the step': {
    point: 'job versions: migrate throwing is a committed JobFailed, never a throw',
    job: deployV1,
    upgrade: {
      job: (count) =>
        deployV2(count, () => {
          throw new Error('unknown state shape');
        }),
      afterInvocations: 1,
    },
    expected: {
      status: 'Failed',
      failureType: 'JobFailed',
      message:
        /version 1 of the job at step 'poll', and this deployment runs version 2; migrate\(\) threw: Error: unknown state shape/,
    },
    userCodeRuns: { 'v1:start': 1, 'v1:poll': 1 },
  },
};

describeEdgeRows('never hang: a deployment while runs are in flight', ROWS);
