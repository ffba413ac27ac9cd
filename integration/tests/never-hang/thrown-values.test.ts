/**
 * Never hang, the edge suite: what steps throw. Errors whose cause has a
 * cycle, values that are not Errors (`undefined`, `null`, plain objects),
 * thrown values holding the artifact credentials, values JSON cannot hold in
 * a log line: each ends with the expected report and user code run the
 * expected number of times, no invocation throwing, no piece of a secret
 * written (`edge-row.ts`).
 */
import { expect } from 'vitest';
import { EDGE_JOBS } from '../../fixtures/never-hang/edge-jobs.js';
import { describeEdgeRows, type EdgeRow } from './edge-row.js';

const ROWS: Record<string, EdgeRow> = {
  'a step error whose cause has a cycle fails the job after its retries': {
    point: 'logging can never throw (cycles)',
    job: EDGE_JOBS['cause-cycle'],
    expected: {
      status: 'Failed',
      failureType: 'JobFailed',
      message: /step 'deploy' failed after 2 attempts: Error: deployment refused/,
    },
    userCodeRuns: { deploy: 2 },
  },
  'initialState throwing undefined fails the job': {
    point: 'thrown non-Errors (throw undefined)',
    job: (count) => EDGE_JOBS['initial-state-throws'](count, undefined),
    expected: {
      status: 'Failed',
      failureType: 'JobFailed',
      message: /undefined was thrown instead of an Error/,
    },
    userCodeRuns: { initialState: 1 },
  },
  'initialState throwing null fails the job': {
    point: 'thrown non-Errors (throw null)',
    job: (count) => EDGE_JOBS['initial-state-throws'](count, null),
    expected: {
      status: 'Failed',
      failureType: 'JobFailed',
      message: /null was thrown instead of an Error/,
    },
    userCodeRuns: { initialState: 1 },
  },
  "throw { name: 'Fatal' } with nonRetryableErrors ['Fatal'] fails at once, message kept": {
    point: 'thrown non-Errors: name, message, nonRetryableErrors',
    job: EDGE_JOBS['non-error-fatal'],
    expected: {
      status: 'Failed',
      failureType: 'JobFailed',
      message: /non-retryable error: Fatal: quota exceeded in account 123/,
    },
    userCodeRuns: { deploy: 1 },
  },
  'a thrown string holding pieces of the credentials leaks no 10-character piece': {
    point: 'secrets: no 10-character piece of a credential in logs, table or CodePipeline',
    job: (count) => EDGE_JOBS['leaky-throw'](count, 'cut'),
    expected: { status: 'Failed', failureType: 'JobFailed', message: /gave up with \[REDACTED\]/ },
    userCodeRuns: { deploy: 3 },
  },
  'thrown objects holding the credentials, whole and encoded, leak no piece': {
    point: 'secrets: redacted before truncation, encodings, inside thrown non-Errors',
    job: (count) => EDGE_JOBS['leaky-throw'](count, 'whole'),
    expected: { status: 'Failed', failureType: 'JobFailed', message: /gave up with \[REDACTED\]/ },
    userCodeRuns: { deploy: 3 },
    check: (played) => {
      expect(played.written).toMatch(/AccessDenied: x{100}/);
      expect(played.written).toContain('[REDACTED]');
    },
  },
  'values JSON cannot hold are logged, and the job succeeds': {
    point: 'logging can never throw (BigInt, getters, toJSON, huge values)',
    job: EDGE_JOBS['unloggable-values'],
    expected: { status: 'Succeeded' },
    userCodeRuns: { deploy: 1 },
    check: (played) => {
      expect(played.result.outputVariables).toEqual({ logged: 'yes' });
      expect(played.written).toContain(String(2n ** 70n));
      expect(played.written).toMatch(/getter threw: Error: getter/);
    },
  },
};

describeEdgeRows('never hang: what steps throw', ROWS);
