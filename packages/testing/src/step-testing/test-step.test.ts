import { readFileSync } from 'node:fs';
import { defineJob, goTo, type JobDefinition, succeed } from '@baton/core';
import { describe, expect, it } from 'vitest';
import { runStepsToEnd } from './run-steps-to-end.js';
import { StepTestEnvironment, testStep } from './test-step.js';
import { paramIssues, validateParams } from './validate-params.js';

interface ProbeParams {
  url: string;
  tries: number;
}

/** A Standard Schema by hand: `url` must be an http(s) URL, `tries` a positive integer (default 2). */
const probeParams: NonNullable<JobDefinition<{ left: number }, ProbeParams>['params']> = {
  '~standard': {
    version: 1,
    vendor: 'test',
    validate(raw: unknown) {
      const value = (raw ?? {}) as { url?: unknown; tries?: unknown };
      const issues: Array<{ message: string; path: string[] }> = [];
      if (typeof value.url !== 'string' || !/^https?:\/\//.test(value.url)) {
        issues.push({ message: 'expected an http(s) URL', path: ['url'] });
      }
      const tries = value.tries ?? 2;
      if (!(typeof tries === 'number' && Number.isInteger(tries) && tries > 0)) {
        issues.push({ message: 'expected a positive integer', path: ['tries'] });
      }
      return issues.length > 0
        ? { issues }
        : { value: { url: value.url as string, tries: tries as number } satisfies ProbeParams };
    },
  },
};

const job = defineJob({
  name: 'probe',
  params: probeParams,
  initialState: (params) => ({ left: params.tries }),
  firstStep: 'probe',
  steps: {
    probe: (ctx) => {
      ctx.logger.warn('probing', {
        key: ctx.idempotencyKey,
        attempt: ctx.attempt,
        jobSeq: ctx.jobSeq,
      });
      return ctx.state.left > 1
        ? goTo('probe', { left: ctx.state.left - 1 })
        : succeed({ summary: `${ctx.remainingTimeMs()}` });
    },
  },
});

describe('testStep', () => {
  it('builds the context the engine would: initial state, attempt, key, jobSeq, time left', async () => {
    const params = await validateParams(job, { url: 'https://example.com' });
    const result = await testStep(job, {
      step: 'probe',
      params,
      attempt: 2,
      jobSeq: 3,
      remainingTimeMs: 1234,
    });
    expect(result.transition).toEqual(goTo('probe', { left: 1 }));
    expect(result.state).toEqual({ left: 1 });
    expect(result.logs).toEqual([
      {
        level: 'WARN',
        message: 'probing',
        attributes: { key: 'run-test:probe:1', attempt: 2, jobSeq: 3 },
      },
    ]);
  });

  it('hands the step a copy of the state, so a step that mutates it changes nothing outside', async () => {
    const mutating = defineJob({
      name: 'mutating',
      initialState: { list: [] as number[] },
      firstStep: 'a',
      steps: {
        a: ({ state }) => {
          (state.list as number[]).push(1);
          return succeed();
        },
      },
    });
    const state = { list: [] as number[] };
    await testStep(mutating, { step: 'a', params: undefined, state });
    expect(state.list).toEqual([]);
  });

  it('names the steps when asked for one the job does not have', async () => {
    await expect(
      // @ts-expect-error 'nope' is not a step of the job: a compile error too, in TypeScript.
      testStep(job, { step: 'nope', params: { url: 'https://x.test', tries: 1 } }),
    ).rejects.toThrow("job probe has no step 'nope' (steps: probe)");
  });

  it('aborts the signal on demand and keeps every line logged in the environment', async () => {
    const env = new StepTestEnvironment();
    const params = { url: 'https://x.test', tries: 1 };
    await env.run(job, { step: 'probe', params });
    await env.run(job, { step: 'probe', params });
    expect(env.logs).toHaveLength(2);
    expect(env.signal.aborted).toBe(false);
    env.abort();
    expect(env.signal.aborted).toBe(true);
  });
});

describe('runStepsToEnd and params', () => {
  it('drives the steps from the first to the end, merging state', async () => {
    const trace = await runStepsToEnd(job, { url: 'https://x.test', tries: 3 });
    expect(trace.transitions.map((t) => t.transition.kind)).toEqual(['goTo', 'goTo', 'succeed']);
    expect(trace.state).toEqual({ left: 1 });
  });

  it('reports schema issues by path', async () => {
    expect(await paramIssues(job, { url: 'nope', tries: 0 })).toEqual([
      'url: expected an http(s) URL',
      'tries: expected a positive integer',
    ]);
    await expect(validateParams(job, {})).rejects.toThrow(
      'invalid params for job probe: expected an http(s) URL',
    );
    await expect(validateParams(job, { url: 'https://x.test' })).resolves.toEqual({
      url: 'https://x.test',
      tries: 2,
    });
  });
});

describe('packages/testing/README.md', () => {
  it('shows readme-example.test.ts verbatim', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./readme-example.test.ts', import.meta.url), 'utf8');
    const section = readme.split(/^## Testing one step$/m)[1]?.split(/^## /m)[0] ?? '';
    const block = /^```ts\n([\s\S]*?)^```$/m.exec(section)?.[1];
    expect(block).toBe(example);
  });
});
