/**
 * Never hang, the edge suite: what steps return and how long they take. A
 * wait past the deadline, a step cut off by the budget, the largest state and
 * outcome, summaries cut inside emoji: each ends with the expected report and
 * user code run the expected number of times, no invocation throwing
 * (`edge-row.ts`).
 */
import { expect } from 'vitest';
import { EDGE_JOBS } from '../../fixtures/never-hang/edge-jobs.js';
import { describeEdgeRows, type EdgeRow } from './edge-row.js';

/** A high surrogate not followed by a low one, or a low one without a high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const ROWS: Record<string, EdgeRow> = {
  'wait({ seconds: Number.MAX_SAFE_INTEGER }) fails the run at once, saying why': {
    point: 'values a step returns checked before any write; a wait past the deadline fails at once',
    job: EDGE_JOBS['endless-wait'],
    expected: {
      status: 'Failed',
      failureType: 'JobFailed',
      message:
        /returned wait\(\) with seconds=9007199254740991, which would end after the run's deadline/,
    },
    userCodeRuns: { poll: 1 },
  },
  'a step started late and cut off by the budget is handed on as the same attempt': {
    point: 'a cut-off step is handed on as the same attempt',
    job: (count) => EDGE_JOBS['late-start'](count, 5000),
    functionTimeoutMs: 8000,
    expected: { status: 'Succeeded' },
    userCodeRuns: { prepare: 1, deploy: 2 },
    check: (played) => expect(played.result.outputVariables).toEqual({ deployed: 'yes' }),
  },
  "a step that outlasts a whole invocation's budget spends its attempt, and says so": {
    point: 'a cut-off counts as an attempt only with a whole budget; the message says why',
    job: EDGE_JOBS['too-slow'],
    expected: {
      status: 'Failed',
      failureType: 'JobFailed',
      message:
        /step 'slow' failed after 1 attempt: StepTimeoutError: .*needs more time than the function's timeout gives/,
    },
    userCodeRuns: { slow: 1 },
  },
  'the largest state and output variables fit in the run item': {
    point: "maxStateBytes capped so state + the largest outcome fit DynamoDB's item",
    job: EDGE_JOBS['largest-run'],
    expected: { status: 'Succeeded' },
    userCodeRuns: { grow: 1, finish: 1 },
    check: (played) => expect(played.result.outputVariables.a).toHaveLength(61_000),
  },
  'summaries of emoji are cut without splitting a surrogate pair': {
    point: 'fitText never cuts a surrogate pair',
    job: EDGE_JOBS['emoji-summary'],
    expected: { status: 'Succeeded', summary: /^y(🚀)+…$/u },
    userCodeRuns: { poll: 2, finish: 1 },
    check: (played) => {
      const summaries = played.result.timeline.flatMap((event) =>
        event.type === 'report-received'
          ? [
              (event.request as { executionDetails?: { summary?: string } }).executionDetails
                ?.summary,
            ]
          : [],
      );
      // The progress report of the wait (once per continuation job until it
      // ends), then the final one.
      expect(summaries.length).toBeGreaterThanOrEqual(2);
      expect(summaries[0]).toMatch(/^x(😀)+…$/u);
      for (const summary of summaries) {
        expect(summary?.length).toBeLessThanOrEqual(2048);
        expect(summary).not.toMatch(LONE_SURROGATE);
      }
    },
  },
};

describeEdgeRows('never hang: what steps return', ROWS);
