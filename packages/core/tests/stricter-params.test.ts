/**
 * A Lambda retry (or a duplicate) of a job whose outcome is committed, that
 * arrives after a deployment with a stricter `UserParameters` schema: the
 * committed outcome is re-sent, not a `ConfigurationError`. Against DynamoDB
 * Local, counting the requests: the look-up is one `UpdateItem` (the request
 * the function's policy allows), and only when the parameters are refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defineJob, goTo, succeed, wait } from '../src/index.js';
import { createHarness, type Harness } from './harness.js';

/** The deployment in force: the old one took any object, the new one needs `region`. */
let strict = false;
const job = defineJob({
  name: 'stricter-params',
  params: {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: (value: unknown) =>
        !strict || (typeof value === 'object' && value !== null && 'region' in value)
          ? { value: value as { region?: string } }
          : { issues: [{ message: 'region is required', path: ['region'] }] },
    },
  },
  initialState: { polls: 0 },
  firstStep: 'start',
  steps: {
    start: () => goTo('poll'),
    poll: ({ state }) =>
      (state.polls as number) >= 1
        ? succeed({ summary: 'done' })
        : wait({ seconds: 60, state: { polls: 1 } }),
  },
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  strict = false;
});

describe('a retry after a deployment with a stricter params schema', () => {
  it('re-sends the committed outcome with one UpdateItem and runs nothing', async () => {
    h = await createHarness(job);
    const event = h.newJob({ userParameters: '{}' });
    const first = await h.invoke(event);
    expect(first.outcome?.kind).toBe('continue');
    const before = await h.store.getRun(first.runId as string);

    strict = true;
    h.clock.advance(61); // Lambda's retry comes after the committer's invocation
    const retry = await h.invoke(event);
    expect(retry).toMatchObject({ kind: 'resent', stepsRun: 0, outcome: first.outcome });
    expect(h.dynamo.counts).toEqual({ UpdateItemCommand: 1 });
    expect(h.pipeline.result(event['CodePipeline.job'].id)).toMatchObject({
      kind: 'success',
      continuationToken: expect.stringMatching(/^bt1\./),
    });
    // The look-up wrote nothing.
    expect(await h.store.getRun(first.runId as string)).toEqual(before);
  });

  it('re-sends a final outcome to a continuation job the new schema refuses', async () => {
    h = await createHarness(job);
    const first = await h.invoke(h.newJob({ userParameters: '{}' }));
    h.clock.advance(61);
    const token = first.outcome?.kind === 'continue' ? first.outcome.continuationToken : '';
    const second = h.newJob({ userParameters: '{}', continuationToken: token });
    const last = await h.invoke(second);
    expect(last.outcome?.kind).toBe('succeed');

    strict = true;
    h.clock.advance(61);
    const retry = await h.invoke(second);
    expect(retry).toMatchObject({ kind: 'resent', outcome: last.outcome });
    expect(h.dynamo.counts).toEqual({ UpdateItemCommand: 1 });
  });

  it('still rejects a job never answered, naming the field, and creates no run', async () => {
    h = await createHarness(job);
    strict = true;
    const event = h.newJob({ userParameters: '{}' });
    const result = await h.invoke(event);
    expect(result).toMatchObject({
      kind: 'rejected',
      outcome: { failureType: 'ConfigurationError', message: expect.stringMatching(/region/) },
    });
    expect(h.dynamo.counts).toEqual({ UpdateItemCommand: 1 });
    expect(await h.scanTable()).toBe('[]');
  });

  it('adds no request to the happy path', async () => {
    h = await createHarness(job);
    strict = true;
    const result = await h.invoke(h.newJob({ userParameters: '{"region":"eu-west-1"}' }));
    expect(result.outcome?.kind).toBe('continue');
    // The claim and the commit, each one UpdateItem.
    expect(h.dynamo.counts).toEqual({ UpdateItemCommand: 2 });
  });
});
