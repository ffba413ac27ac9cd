/**
 * Steps that return unusable states, output variables, or values that are not
 * (well-formed) transitions: each a `JobFailed` naming the problem, with the
 * stored run saying the same. See `bad-input-world.ts`.
 */
import { describe, it } from 'vitest';
import type { BadInputParams } from '../../fixtures/reliability/bad-input-job.js';
import { expectJobFailed, useBadInputWorld } from './bad-input-world.js';

const world = useBadInputWorld('step results');

describe('a step that returns what Baton cannot store or report: JobFailed naming it', () => {
  it.each<[BadInputParams['behaviour'], RegExp]>([
    [
      'huge-state',
      /^job bad-input: the state after step 'start' is 300\d{3} bytes of JSON, over the limit of 262144 bytes \(maxStateBytes\)/,
    ],
    [
      'huge-initial-state',
      /^job bad-input: the initial state is 300\d{3} bytes of JSON, over the limit of 262144 bytes/,
    ],
    ['circular-state', /^job bad-input: the state after step 'start' is not JSON-serialisable: /],
    [
      'bad-output-key',
      /^step 'start' succeeded with unusable output: output variable key "bad key!" is invalid: keys may hold only/,
    ],
    [
      'huge-output',
      /^step 'start' succeeded with unusable output: output variables total 130002 bytes, over CodePipeline's limit of 122880 bytes$/,
    ],
    [
      'non-string-output',
      /^step 'start' succeeded with unusable output: output variable n must be a string, got number$/,
    ],
    [
      'not-a-transition',
      /^step 'start' failed with a non-retryable error: TypeError: step 'start' returned \{"status":"ok"\}, not a transition: return goTo\(\), wait\(\), succeed\(\) or fail\(\)$/,
    ],
    [
      'undefined',
      /^step 'start' failed with a non-retryable error: TypeError: step 'start' returned undefined, not a transition/,
    ],
    [
      'unknown-step',
      /^step 'start' returned goTo to unknown step 'nowhere' \(steps: start, finish\)$/,
    ],
    ['negative-wait', /^step 'start' returned wait\(\) with seconds=-1; expected a number ≥ 0$/],
    [
      'bad-percent',
      /^step 'start' returned wait\(\) with percentComplete=150; expected an integer 0–100$/,
    ],
    ['bad-failure-type', /step 'start'.*fail\(\).*"Bogus"/],
    ['non-string-summary', /step 'start'.*succeed\(\).*summary/],
    ['non-string-message', /step 'start'.*fail\(\).*message/],
  ])('%s', async (behaviour, message) => {
    await expectJobFailed(world, await world.play({ userParameters: { behaviour } }), message);
  });
});
