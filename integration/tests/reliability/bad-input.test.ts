/**
 * Bad input, table-driven: events missing each required field or with wrong
 * types, empty, huge and non-JSON `UserParameters`, continuation tokens that
 * are foreign, truncated, forged, stale, for a finished run or from another
 * table, and steps that return unusable states, output variables or values
 * that are not (well-formed) transitions.
 *
 * Each case is played through the CodePipeline emulator (the handler runs in
 * this process; a wrapper turns the emulator's event into the bad one) and
 * must end with a clear `ConfigurationError` or `JobFailed` report whose
 * message names the problem, one invocation (the handler did not throw, so
 * Lambda did not retry), and a table that is unchanged or consistent with the
 * report. An event without a job id is the one exception: nothing can be
 * reported, so the handler throws `InvalidEventError` (and Lambda retries).
 */
import { randomUUID } from 'node:crypto';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  createJsonLogger,
  createLambdaHandler,
  createTable,
  DynamoDBRunStore,
  decodeToken,
  encodeToken,
} from '@baton/core';
import {
  type CodePipelineEmulator,
  type LambdaActionResult,
  startCodePipelineEmulator,
  type UserParametersValue,
} from '@baton/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type BadInputParams,
  createBadInputJob,
} from '../../fixtures/reliability/bad-input-job.js';

type Event = { 'CodePipeline.job': Record<string, unknown> & { data: Record<string, unknown> } };
type Mutate = (event: Event) => unknown;

const LOCAL = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};
const job = createBadInputJob();

let emulator: CodePipelineEmulator;
let ddb: DynamoDBClient;
let store: DynamoDBRunStore;
let codePipeline: CodePipelineClient;
let tableName: string;
let otherTable: string;
let ddbRequests = 0;
let tried = 0;

beforeAll(async () => {
  ddb = new DynamoDBClient({ ...LOCAL, endpoint: inject('dynamodbEndpoint') });
  ddb.middlewareStack.add(
    (next) => async (args) => {
      ddbRequests += 1;
      return next(args);
    },
    { step: 'deserialize', name: 'countRequests' },
  );
  tableName = `bad-input-${randomUUID()}`;
  otherTable = `bad-input-other-${randomUUID()}`;
  await createTable(ddb, tableName);
  await createTable(ddb, otherTable);
  store = new DynamoDBRunStore({ tableName, client: ddb });
  emulator = await startCodePipelineEmulator({ timeScale: 1 / 5000 });
  codePipeline = new CodePipelineClient({ ...emulator.clientConfig, maxAttempts: 1 });
});

afterAll(async () => {
  console.log(`bad input: ${tried} cases played through the emulator`);
  await emulator?.stop();
  ddb?.destroy();
  codePipeline?.destroy();
});

function batonHandler(logs: string[], table = tableName) {
  return createLambdaHandler(job, {
    tableName: table,
    dynamoDBClient: ddb,
    codePipelineClient: codePipeline,
    logger: createJsonLogger({ level: 'DEBUG', write: (line) => logs.push(line) }),
    retryTakeoverAfterMs: 0,
    safetyMarginMs: 250,
  });
}

async function scan(table = tableName): Promise<Map<string, string>> {
  const items = new Map<string, string>();
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start as never } : {}),
      }),
    );
    for (const item of out.Items ?? [])
      items.set(`${item.pk?.S}|${item.sk?.S}`, JSON.stringify(item));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Keys of items added, removed or changed between two scans. */
function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => before.get(key) !== after.get(key)).sort();
}

interface Played {
  result: LambdaActionResult;
  logs: string[];
  changes: string[];
  requests: number;
  thrown: unknown[];
}

/** Plays one action whose first job's event is rewritten by `mutate`. */
async function play(options: {
  userParameters?: UserParametersValue;
  mutate?: Mutate;
  table?: string;
  /** A run the case needs first (not a bad input itself). */
  setup?: boolean;
}): Promise<Played> {
  if (!options.setup) tried += 1;
  const logs: string[] = [];
  const baton = batonHandler(logs, options.table);
  const thrown: unknown[] = [];
  const before = await scan();
  ddbRequests = 0;
  const result = await emulator.runLambdaAction({
    handler: async (event, context) => {
      const copy = structuredClone(event) as unknown as Event;
      try {
        return await baton(options.mutate ? options.mutate(copy) : copy, context);
      } catch (err) {
        thrown.push(err);
        throw err;
      }
    },
    userParameters:
      'userParameters' in options
        ? (options.userParameters as UserParametersValue)
        : { behaviour: 'finish' },
    functionTimeoutMs: 5000,
    // 100 ms of real time between jobs: the fixture's 50 ms polls are over by then.
    continuationDelayMs: 500_000,
    // An action that gets no result ends after 12 minutes of pipeline time (144 ms).
    noReplyTimeoutMs: 12 * 60_000,
  });
  const requests = ddbRequests;
  const after = await scan();
  return { result, logs, changes: changed(before, after), requests, thrown };
}

/** One invocation, no retry: the handler returned. */
function expectNoRetry(played: Played): void {
  expect(played.thrown).toEqual([]);
  expect(played.result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
    'j1-d1-a1 returned',
  ]);
  expect(played.result.timeline.some((e) => e.type === 'retry-scheduled')).toBe(false);
}

/** No credential of any job reaches the logs or the table. */
async function expectNoSecrets(played: Played): Promise<void> {
  const table = JSON.stringify([...(await scan()).values()]);
  const logs = played.logs.join('\n');
  for (const j of played.result.jobs) {
    for (const value of Object.values(j.artifactCredentials)) {
      if (typeof value !== 'string') continue;
      expect(logs).not.toContain(value);
      expect(table).not.toContain(value);
    }
  }
}

/** A rejected job: a ConfigurationError report naming the problem, nothing stored. */
async function expectRejected(played: Played, message: RegExp, maxRequests: number): Promise<void> {
  expect(played.result.status).toBe('Failed');
  expect(played.result.reason).toBe('failure-reported');
  expect(played.result.failureDetails?.type).toBe('ConfigurationError');
  expect(played.result.failureDetails?.message).toMatch(message);
  expectNoRetry(played);
  expect(played.changes).toEqual([]);
  expect(played.requests).toBeLessThanOrEqual(maxRequests);
  await expectNoSecrets(played);
}

/** A failed run: a JobFailed report naming the problem, and a stored run that says the same. */
async function expectJobFailed(played: Played, message: RegExp): Promise<void> {
  expect(played.result.reason).toBe('failure-reported');
  expect(played.result.failureDetails?.type).toBe('JobFailed');
  expect(played.result.failureDetails?.message).toMatch(message);
  expectNoRetry(played);
  const pks = new Set(played.changes.map((key) => key.split('|')[0]));
  expect(pks.size).toBe(1);
  const runId = [...pks][0]!.replace(/^run#/, '');
  const stored = await store.getRun(runId);
  expect(stored?.run).toMatchObject({
    status: 'failed',
    outcome: {
      kind: 'fail',
      jobId: played.result.jobs[0]!.id,
      failureType: 'JobFailed',
      message: played.result.failureDetails?.message,
    },
  });
  expect(stored?.run.leaseOwner).toBeUndefined();
  expect(stored?.history.map((h) => h.jobId)).toEqual([played.result.jobs[0]!.id]);
  await expectNoSecrets(played);
}

const data = (event: Event) => event['CodePipeline.job'].data;
const configuration = (event: Event) =>
  (data(event).actionConfiguration as { configuration: Record<string, unknown> }).configuration;

describe('an event without a job id: InvalidEventError is thrown, nothing is reported', () => {
  it.each<[string, Mutate]>([
    ['null', () => null],
    ['a string', () => 'CodePipeline.job'],
    ['an empty object', () => ({})],
    ['an S3 event', () => ({ Records: [{ eventSource: 'aws:s3' }] })],
    [
      'a job without id',
      (e) => ({ 'CodePipeline.job': { ...e['CodePipeline.job'], id: undefined } }),
    ],
    ['a numeric id', (e) => ({ 'CodePipeline.job': { ...e['CodePipeline.job'], id: 42 } })],
    ['an empty id', (e) => ({ 'CodePipeline.job': { ...e['CodePipeline.job'], id: '' } })],
  ])('%s', async (_name, mutate) => {
    const played = await play({ mutate });
    // Thrown, so Lambda retries twice; the job gets no result and times out.
    expect(played.thrown.length).toBe(3);
    for (const err of played.thrown) {
      expect(err).toMatchObject({
        name: 'InvalidEventError',
        message: expect.stringMatching(
          /^not a CodePipeline job event: expected \{"CodePipeline.job": \{"id"/,
        ),
      });
    }
    expect(played.result.timeline.some((e) => e.type === 'report-received')).toBe(false);
    expect(played.result.reason).toBe('no-reply-timeout');
    expect(played.changes).toEqual([]);
    expect(played.requests).toBe(0);
    await expectNoSecrets(played);
  });
});

describe('a malformed event with a job id: ConfigurationError naming the field', () => {
  it.each<[string, Mutate, RegExp]>([
    [
      'no data',
      (e) => ({ 'CodePipeline.job': { ...e['CodePipeline.job'], data: undefined } }),
      /\["CodePipeline\.job"\]\.data: /,
    ],
    [
      'data of the wrong type',
      (e) => ({ 'CodePipeline.job': { ...e['CodePipeline.job'], data: 'x' } }),
      /\["CodePipeline\.job"\]\.data: /,
    ],
    [
      'no actionConfiguration',
      (e) => {
        delete data(e).actionConfiguration;
        return e;
      },
      /\.data\.actionConfiguration: /,
    ],
    [
      'no configuration',
      (e) => {
        data(e).actionConfiguration = {};
        return e;
      },
      /\.actionConfiguration\.configuration: /,
    ],
    [
      'a numeric UserParameters',
      (e) => {
        configuration(e).UserParameters = 42;
        return e;
      },
      /\.configuration\.UserParameters: /,
    ],
    [
      'a numeric continuationToken',
      (e) => {
        data(e).continuationToken = 42;
        return e;
      },
      /\.data\.continuationToken: /,
    ],
    [
      'credentials as one string',
      (e) => {
        data(e).artifactCredentials = 'ASIAEXAMPLE:secret-as-one-string';
        return e;
      },
      /\.data\.artifactCredentials: /,
    ],
    [
      'credentials without a session token',
      (e) => {
        delete (data(e).artifactCredentials as Record<string, unknown>).sessionToken;
        return e;
      },
      /\.artifactCredentials\.sessionToken: /,
    ],
    [
      'inputArtifacts as an object',
      (e) => {
        data(e).inputArtifacts = {};
        return e;
      },
      /\.data\.inputArtifacts: /,
    ],
    [
      'an artifact without a name',
      (e) => {
        data(e).outputArtifacts = [{ revision: null }];
        return e;
      },
      /\.data\.outputArtifacts\[0\]\.name: /,
    ],
    [
      'a numeric accountId',
      (e) => ({ 'CodePipeline.job': { ...e['CodePipeline.job'], accountId: 7 } }),
      /\.accountId: /,
    ],
  ])('%s', async (_name, mutate, message) => {
    const played = await play({ mutate });
    await expectRejected(
      played,
      new RegExp(`^malformed CodePipeline event: .*${message.source}`),
      0,
    );
  });
});

describe('UserParameters that do not parse or validate: ConfigurationError naming the problem', () => {
  const huge = `${'x'.repeat(1024 * 1024)}`;
  it.each<[string, UserParametersValue, RegExp]>([
    [
      'missing',
      null,
      /^invalid UserParameters: UserParameters: expected an object like .*, got undefined$/,
    ],
    ['empty', '', /^invalid UserParameters: UserParameters: expected an object .*, got undefined$/],
    [
      'blank',
      '   ',
      /^invalid UserParameters: UserParameters: expected an object .*, got undefined$/,
    ],
    [
      'not JSON',
      'some-input-such-as-a-URL',
      /^UserParameters is not valid JSON \(.*\); got "some-input-such-as-a-URL"$/,
    ],
    ['1 MB that is not JSON', huge, /^UserParameters is not valid JSON \(.*\); got "x{80}…"$/],
    [
      '1 MB of JSON with a wrong field',
      { behaviour: 'deploy', padding: huge },
      /^invalid UserParameters: UserParameters\.behaviour: expected one of finish, .*got "deploy"$/,
    ],
    ['a JSON array', '[1,2,3]', /UserParameters: expected an object .*, got an array$/],
    ['JSON null', 'null', /UserParameters: expected an object .*, got null$/],
    [
      'a field of the wrong type',
      { behaviour: 'poll', polls: 'three' },
      /^invalid UserParameters: UserParameters\.polls: expected an integer ≥ 0, got "three"$/,
    ],
    [
      'two wrong fields',
      { behaviour: 7, polls: -1 },
      /UserParameters\.behaviour: .*; UserParameters\.polls: /,
    ],
  ])('%s', async (_name, userParameters, message) => {
    const played = await play({ userParameters });
    // One read: whether an earlier deployment, whose schema took these
    // parameters, already answered the job (then its outcome is re-sent).
    await expectRejected(played, message, 1);
    expect(played.result.failureDetails?.message.length).toBeLessThanOrEqual(5000);
  });

  it('1 MB of valid JSON is just parameters: the run succeeds', async () => {
    const played = await play({ userParameters: { behaviour: 'finish', padding: huge } });
    expect(played.result.status).toBe('Succeeded');
    expect(played.result.outputVariables).toEqual({ done: 'yes' });
    expectNoRetry(played);
    // Parameters are never stored or logged.
    expect(JSON.stringify([...(await scan()).values()])).not.toContain('x'.repeat(1000));
    expect(played.logs.join('\n')).not.toContain('x'.repeat(1000));
  });
});

describe("continuation tokens that are not Baton's or do not match their run: ConfigurationError", () => {
  /** Plays a run of two polls to its end and returns the tokens its jobs carried. */
  async function finishedRun(table = tableName): Promise<{ tokens: string[]; runId: string }> {
    const played = await play({
      userParameters: { behaviour: 'poll', polls: 2 },
      table,
      setup: true,
    });
    expect(played.result.status).toBe('Succeeded');
    const tokens = played.result.jobs.flatMap((j) =>
      j.continuationToken ? [j.continuationToken] : [],
    );
    expect(tokens).toHaveLength(2);
    return { tokens, runId: decodeToken(tokens[0]!).runId };
  }

  /** Starts a run outside any action and moves it on by `steps` jobs; returns the tokens handed on. */
  async function runningRun(steps: number): Promise<string[]> {
    const baton = batonHandler([]);
    const params: BadInputParams = { behaviour: 'poll', polls: 10 };
    const tokens: string[] = [];
    for (let i = 0; i <= steps; i++) {
      const created = emulator.createJob();
      const event = created.event as unknown as Event;
      configuration(event).UserParameters = JSON.stringify(params);
      if (i > 0) data(event).continuationToken = tokens.at(-1);
      const result = await baton(event, {
        getRemainingTimeInMillis: () => 5000,
        awsRequestId: randomUUID(),
      });
      expect(result.kind).toBe('reported');
      if (result.outcome?.kind !== 'continue') throw new Error('expected a continuation');
      tokens.push(result.outcome.continuationToken);
      await new Promise((resolve) => setTimeout(resolve, 60)); // let the 50 ms wait pass
    }
    return tokens;
  }

  const withToken = (token: string, params: BadInputParams = { behaviour: 'poll', polls: 10 }) =>
    play({
      userParameters: { ...params },
      mutate: (e) => {
        data(e).continuationToken = token;
        return e;
      },
    });

  it("a token Baton never issued (the second seed event's)", async () => {
    await expectRejected(
      await withToken('A continuation token if continuing job'),
      /^continuationToken "A continuation token if continuing job" \(38 chars\) is not a Baton token: it was not issued by Baton$/,
      0,
    );
  });

  it('a truncated token', async () => {
    const [token] = await runningRun(0);
    await expectRejected(
      await withToken(token!.slice(0, -3)),
      /is not a Baton token: it is truncated or malformed$/,
      0,
    );
  });

  it('a token longer than CodePipeline allows', async () => {
    const [token] = await runningRun(0);
    await expectRejected(
      await withToken(`${token}${'A'.repeat(3000)}`),
      /\(3\d{3} chars\) is not a Baton token: it is truncated or malformed$/,
      0,
    );
  });

  it('a forged token: the right shape, a wrong nonce', async () => {
    const [token] = await runningRun(0);
    const t = decodeToken(token!);
    const forged = encodeToken({ ...t, nonce: 'A'.repeat(22) });
    await expectRejected(
      await withToken(forged),
      new RegExp(`^continuationToken does not match run ${t.runId}: wrong nonce`),
      1,
    );
  });

  it('a token of sequence 0', async () => {
    const [token] = await runningRun(0);
    await expectRejected(
      await withToken(encodeToken({ ...decodeToken(token!), jobSeq: 0 })),
      /^continuationToken has sequence 0; continuations start at 1$/,
      0,
    );
  });

  it('a token of a sequence the run has not reached', async () => {
    const [token] = await runningRun(0);
    const t = decodeToken(token!);
    await expectRejected(
      await withToken(encodeToken({ ...t, jobSeq: 9 })),
      new RegExp(
        `^continuationToken has sequence 9 but run ${t.runId} is at 1: not a token Baton issued$`,
      ),
      1,
    );
  });

  it('a token whose sequence another job already claimed', async () => {
    const [token] = await runningRun(0);
    const t = decodeToken(token!);
    // Another job claimed sequence 1 and died before committing (its lease is over).
    await store.claim({
      runId: t.runId,
      jobId: 'the-job-that-claimed-it',
      jobSeq: 1,
      nonce: t.nonce,
      owner: 'dead',
      leaseUntil: Date.now() - 1,
      now: Date.now() - 1000,
    });
    await expectRejected(
      await withToken(token!),
      /^continuationToken of sequence 1 was already used by job the-job-that-claimed-it$/,
      1,
    );
  });

  it('the last token of a finished run', async () => {
    const { tokens, runId } = await finishedRun();
    await expectRejected(
      await withToken(tokens[1]!),
      new RegExp(
        `^run ${runId} already succeeded; continuationToken of sequence 2 cannot continue it$`,
      ),
      1,
    );
  });

  it('an earlier token of a finished run', async () => {
    const { tokens, runId } = await finishedRun();
    await expectRejected(
      await withToken(tokens[0]!),
      new RegExp(
        `^continuationToken of sequence 1 .*run ${runId} is at sequence 2 and already succeeded`,
      ),
      2,
    );
  });

  it('an earlier token of a running run, carried by a new job', async () => {
    const tokens = await runningRun(1);
    const t = decodeToken(tokens[0]!);
    await expectRejected(
      await withToken(tokens[0]!),
      new RegExp(`^continuationToken of sequence 1 .*run ${t.runId} is at sequence 2`),
      1,
    );
  });

  it('a token from another table (another Baton deployment)', async () => {
    const { tokens } = await finishedRun(otherTable);
    await expectRejected(
      await withToken(tokens[0]!),
      /^continuationToken names a run this table does not hold: it was issued by another Baton deployment \(another table\) or the run expired$/,
      1,
    );
  });
});

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
    await expectJobFailed(await play({ userParameters: { behaviour } }), message);
  });
});
