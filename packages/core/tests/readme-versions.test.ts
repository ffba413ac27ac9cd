/**
 * The README's job-versions example is `fixtures/versioned-job.ts`, byte for
 * byte, and does what the README says: it carries a run version 1 left
 * waiting in 'poll' over to 'watch', with version 1's deployment id.
 */
import { readFileSync } from 'node:fs';
import { InMemoryRunStore } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import {
  defineJob,
  goTo,
  type Job,
  type Outcome,
  type Reporter,
  runInvocation,
  wait,
} from '../src/index.js';
import { runIdForJob } from '../src/token/continuation-token.js';
import { job } from './fixtures/versioned-job.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const file = readFileSync(new URL('./fixtures/versioned-job.ts', import.meta.url), 'utf8');

/** Version 1 of the README's job. */
const versionOne = defineJob({
  name: 'deploy',
  initialState: { deploymentId: '' },
  firstStep: 'start',
  steps: {
    start: () => goTo('poll', { deploymentId: 'd-1' }),
    poll: () => wait({ seconds: 60 }),
  },
});

describe("the README's job versions example", () => {
  it('is fixtures/versioned-job.ts byte for byte', () => {
    const section = readme.slice(readme.indexOf('### Job versions'));
    const block = /```ts\n([\s\S]*?)^```$/m.exec(section)?.[1];
    expect(block).toBe(file);
  });

  it("takes over a run version 1 left waiting in 'poll'", async () => {
    const store = new InMemoryRunStore();
    const sent: Outcome[] = [];
    const reporter: Reporter = {
      report: async (outcome) => {
        sent.push(outcome);
        return 'sent';
      },
    };
    let now = Date.now();
    const clock = {
      now: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
    };
    const logger = { debug() {}, info() {}, warn() {}, error() {} };
    const invoke = <S extends object>(deployed: Job<S>, jobId: string) => {
      const last = sent.at(-1);
      const token = last?.kind === 'continue' ? { continuationToken: last.continuationToken } : {};
      const event = {
        'CodePipeline.job': {
          id: jobId,
          data: { actionConfiguration: { configuration: { FunctionName: 'f' } }, ...token },
        },
      };
      now += 61_000;
      return runInvocation(
        deployed,
        event,
        { getRemainingTimeInMillis: () => 60_000, awsRequestId: jobId },
        { store, reporter, logger, clock },
      );
    };
    await invoke(versionOne, 'job-1');
    await invoke(job, 'job-2');
    const run = (await store.getRun(runIdForJob('job-1')))?.run;
    expect(run).toMatchObject({ step: 'watch', jobVersion: 2 });
    expect(JSON.parse(run?.stateJson ?? '')).toEqual({ deployment: { id: 'd-1' }, checks: 1 });
    const last = await invoke(job, 'job-3');
    expect(last.outcome).toMatchObject({
      kind: 'succeed',
      outputVariables: { deploymentId: 'd-1' },
    });
  });
});
