import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { parseJobEvent, readJobId } from '../src/event/job-event.js';
import {
  ConfigurationError,
  createJsonLogger,
  decodeToken,
  defineJob,
  encodeToken,
  InvalidEventError,
  JobDefinitionError,
  redactingLogger,
  succeed,
} from '../src/index.js';
import { parseParams } from '../src/job/parse-params.js';
import { resolveRetryPolicy, retryDelaySeconds } from '../src/job/retry-policy.js';
import { buildCommand } from '../src/pipeline/codepipeline-reporter.js';
import { fitText, outputVariablesProblem } from '../src/pipeline/limits.js';
import { newNonce, runIdForJob } from '../src/token/continuation-token.js';
import { seedEvent } from './fixtures.js';

describe('continuation token', () => {
  it('round-trips and stays far under 2048 characters', () => {
    const token = { runId: runIdForJob('job-1'), jobSeq: 7, nonce: newNonce() };
    const text = encodeToken(token);
    expect(text.length).toBeLessThan(100);
    expect(decodeToken(text)).toEqual(token);
  });

  it.each([
    ['A continuation token if continuing job', /not issued by Baton/],
    [`bt1.${'a'.repeat(32)}.3.short`, /truncated or malformed/],
    [`bt1.${'a'.repeat(32)}.0.${'n'.repeat(22)}`, /sequence 0/],
    ['', /not issued by Baton/],
  ])('rejects %j', (text, why) => {
    expect(() => decodeToken(text)).toThrow(ConfigurationError);
    expect(() => decodeToken(text)).toThrow(why);
  });

  it('derives the same run id from the same job id', () => {
    expect(runIdForJob('a')).toBe(runIdForJob('a'));
    expect(runIdForJob('a')).not.toBe(runIdForJob('b'));
  });
});

describe('event parsing', () => {
  it('reads the seed event', async () => {
    const parsed = await parseJobEvent(seedEvent());
    expect(parsed.jobId).toBe('c0d76431-b0e7-xmpl-97e3-e8ee786eb6f6');
    expect(parsed.userParameters).toBe('{"KEY": "VALUE"}');
    expect(parsed.inputArtifacts[0]?.name).toBe('my-pipeline-SourceArtifact');
  });

  it('throws InvalidEventError without a job id', () => {
    expect(() => readJobId({})).toThrow(InvalidEventError);
    expect(() => readJobId(null)).toThrow(/got a null/);
    expect(() => readJobId({ 'CodePipeline.job': { id: 3 } })).toThrow(/without a string id/);
  });

  it('names the malformed field', async () => {
    const event = seedEvent();
    (
      event['CodePipeline.job'].data.actionConfiguration.configuration as Record<string, unknown>
    ).UserParameters = 42;
    await expect(parseJobEvent(event)).rejects.toThrow(
      /event\["CodePipeline\.job"\]\.data\.actionConfiguration\.configuration\.UserParameters/,
    );
  });
});

describe('UserParameters', () => {
  const job = defineJob({
    name: 'p',
    params: z.object({ url: z.url(), intervalSeconds: z.number().positive().default(30) }),
    initialState: {},
    firstStep: 'a',
    steps: { a: () => succeed() },
  });

  it('parses and validates JSON', async () => {
    await expect(parseParams(job, '{"url":"https://example.com"}')).resolves.toEqual({
      url: 'https://example.com',
      intervalSeconds: 30,
    });
  });

  it('rejects non-JSON with ConfigurationError quoting the input', async () => {
    await expect(parseParams(job, 'some-input-such-as-a-URL')).rejects.toThrow(
      /UserParameters is not valid JSON .*"some-input-such-as-a-URL"/,
    );
  });

  it('names the failing field', async () => {
    await expect(parseParams(job, '{"url":"https://x.test","intervalSeconds":-1}')).rejects.toThrow(
      /UserParameters\.intervalSeconds/,
    );
  });

  it('passes text through when the job reads text', async () => {
    const text = defineJob({ ...jobDef(), paramsFormat: 'text' });
    await expect(parseParams(text, 'some-input')).resolves.toBe('some-input');
  });
});

function jobDef() {
  return { name: 't', initialState: {}, firstStep: 'a' as const, steps: { a: () => succeed() } };
}

describe('defineJob', () => {
  it('rejects an unknown first step', () => {
    // @ts-expect-error 'nope' is not a step: TypeScript rejects it before the run-time check does.
    expect(() => defineJob({ ...jobDef(), firstStep: 'nope' })).toThrow(JobDefinitionError);
  });
  it('rejects a bad retry policy', () => {
    expect(() => defineJob({ ...jobDef(), retry: { maximumAttempts: 0 } })).toThrow(
      /maximumAttempts/,
    );
  });
  it('gives each run its own copy of a literal initial state', () => {
    const job = defineJob({ ...jobDef(), initialState: { list: [] as number[] } });
    job.initialState(undefined).list.push(1);
    expect(job.initialState(undefined).list).toEqual([]);
  });
});

describe('retry policy', () => {
  it('backs off exponentially up to the maximum interval', () => {
    const policy = resolveRetryPolicy({
      initialIntervalSeconds: 1,
      backoffCoefficient: 2,
      maximumIntervalSeconds: 5,
    });
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(policy, n))).toEqual([1, 2, 4, 5]);
  });
});

describe('CodePipeline limits', () => {
  it('checks output variable keys and total size', () => {
    expect(outputVariablesProblem({ ok_key: 'v' })).toBeUndefined();
    expect(outputVariablesProblem({ 'bad key': 'v' })).toMatch(/"bad key" is invalid/);
    expect(outputVariablesProblem({ big: 'x'.repeat(122_880) })).toMatch(/122883 bytes/);
  });

  it('cuts long text with an ellipsis', () => {
    expect(fitText('x'.repeat(3000), 2048)).toHaveLength(2048);
    expect(fitText('', 10)).toBeUndefined();
  });

  it('refuses a percentComplete outside 0–100 before any request', () => {
    expect(() =>
      buildCommand(
        { kind: 'continue', jobId: 'j', jobSeq: 0, continuationToken: 't', percentComplete: 101 },
        'r',
      ),
    ).toThrow(/percentComplete/);
  });
});

describe('redacting logger', () => {
  it('removes credential keys and values anywhere in a line', () => {
    const lines: string[] = [];
    const inner = createJsonLogger({ write: (l) => lines.push(l) });
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const log = redactingLogger(inner, [secret]);
    log.info(`boom ${secret}`, {
      artifactCredentials: { secretAccessKey: secret },
      nested: { text: `a${secret}b` },
      error: new Error(`failed with ${secret}`),
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]).toContain('[REDACTED]');
  });
});
