import {
  AcknowledgeJobCommand,
  ActionTypeNotFoundException,
  CodePipelineClient,
  type FailureType,
  GetJobDetailsCommand,
  InvalidJobStateException,
  InvalidNonceException,
  JobNotFoundException,
  OutputVariablesSizeExceededException,
  PollForJobsCommand,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
  type PutJobSuccessResultCommandInput,
  ValidationException,
} from '@aws-sdk/client-codepipeline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type CodePipelineEmulator,
  MAX_OUTPUT_VARIABLES_BYTES,
  startCodePipelineEmulator,
} from '../src/index.js';

let emulator: CodePipelineEmulator;
let client: CodePipelineClient;

beforeAll(async () => {
  emulator = await startCodePipelineEmulator();
  client = new CodePipelineClient({ ...emulator.clientConfig, maxAttempts: 1 });
});

afterAll(async () => {
  client.destroy();
  await emulator.stop();
});

const CUSTOM_ACTION = {
  category: 'Deploy',
  owner: 'Custom',
  provider: 'BatonDeploy',
  version: '1',
} as const;

describe('job results', () => {
  it('accepts one result per job and refuses a second with InvalidJobStateException', async () => {
    const job = emulator.createJob();
    await client.send(
      new PutJobSuccessResultCommand({
        jobId: job.id,
        executionDetails: { summary: 'done', percentComplete: 100 },
        outputVariables: { url: 'https://example.com' },
      }),
    );
    const second = client.send(
      new PutJobFailureResultCommand({
        jobId: job.id,
        failureDetails: { type: 'JobFailed', message: 'too late' },
      }),
    );
    await expect(second).rejects.toBeInstanceOf(InvalidJobStateException);
    await expect(second).rejects.toMatchObject({
      name: 'InvalidJobStateException',
      $metadata: { httpStatusCode: 400 },
    });
    const stored = emulator.getJob(job.id);
    expect(stored?.status).toBe('Succeeded');
    expect(stored?.result).toMatchObject({
      kind: 'success',
      input: { outputVariables: { url: 'https://example.com' } },
    });
    // A repeated identical success is refused too: a job takes exactly one result.
    await expect(
      client.send(new PutJobSuccessResultCommand({ jobId: job.id })),
    ).rejects.toBeInstanceOf(InvalidJobStateException);
  });

  it('records a failure result', async () => {
    const job = emulator.createJob();
    await client.send(
      new PutJobFailureResultCommand({
        jobId: job.id,
        failureDetails: {
          type: 'ConfigurationError',
          message: 'bad params',
          externalExecutionId: 'run-1',
        },
      }),
    );
    expect(emulator.getJob(job.id)).toMatchObject({
      status: 'Failed',
      result: { kind: 'failure', input: { failureDetails: { type: 'ConfigurationError' } } },
    });
  });

  it('answers JobNotFoundException for an unknown job and ValidationException for a malformed id', async () => {
    await expect(
      client.send(
        new PutJobSuccessResultCommand({ jobId: '11111111-abcd-1111-abcd-111111abcdef' }),
      ),
    ).rejects.toBeInstanceOf(JobNotFoundException);
    await expect(
      client.send(new GetJobDetailsCommand({ jobId: '11111111-abcd-1111-abcd-111111abcdef' })),
    ).rejects.toBeInstanceOf(JobNotFoundException);
    await expect(
      client.send(new PutJobSuccessResultCommand({ jobId: 'not-a-job-id' })),
    ).rejects.toBeInstanceOf(ValidationException);
  });

  const longText = (length: number) => 'x'.repeat(length);
  const invalidSuccesses: Array<[string, Omit<PutJobSuccessResultCommandInput, 'jobId'>, RegExp]> =
    [
      ['an empty continuation token', { continuationToken: '' }, /continuationToken/],
      [
        'a continuation token over 2048',
        { continuationToken: longText(2049) },
        /continuationToken.*2048/,
      ],
      ['an empty summary', { executionDetails: { summary: '' } }, /executionDetails\.summary/],
      ['a summary over 2048', { executionDetails: { summary: longText(2049) } }, /summary.*2048/],
      [
        'an externalExecutionId over 1500',
        { executionDetails: { externalExecutionId: longText(1501) } },
        /externalExecutionId.*1500/,
      ],
      [
        'percentComplete over 100',
        { executionDetails: { percentComplete: 101 } },
        /percentComplete/,
      ],
      [
        'negative percentComplete',
        { executionDetails: { percentComplete: -1 } },
        /percentComplete/,
      ],
      ['fractional percentComplete', { executionDetails: { percentComplete: 50.5 } }, /integer/],
      [
        'an output variable key with a space',
        { outputVariables: { 'bad key': 'v' } },
        /outputVariables/,
      ],
      [
        'output variables with a continuation token',
        { continuationToken: 'more', outputVariables: { ok: 'v' } },
        /only be included when there is no continuationToken/,
      ],
    ];

  it.each(invalidSuccesses)(
    'refuses a success with %s (ValidationException), leaving the job open',
    async (_name, input, message) => {
      const job = emulator.createJob();
      const sent = client.send(new PutJobSuccessResultCommand({ jobId: job.id, ...input }));
      await expect(sent).rejects.toBeInstanceOf(ValidationException);
      await expect(sent).rejects.toThrow(message);
      expect(emulator.getJob(job.id)?.status).toBe('InProgress');
      await client.send(new PutJobSuccessResultCommand({ jobId: job.id }));
    },
  );

  it('accepts the limits themselves', async () => {
    const withToken = emulator.createJob();
    await client.send(
      new PutJobSuccessResultCommand({
        jobId: withToken.id,
        continuationToken: longText(2048),
        executionDetails: {
          summary: longText(2048),
          externalExecutionId: longText(1500),
          percentComplete: 0,
        },
      }),
    );
    const final = emulator.createJob();
    await client.send(
      new PutJobSuccessResultCommand({
        jobId: final.id,
        executionDetails: { percentComplete: 100 },
        outputVariables: { 'A-z_0@9': 'v' },
      }),
    );
    const failed = emulator.createJob();
    await client.send(
      new PutJobFailureResultCommand({
        jobId: failed.id,
        failureDetails: { type: 'SystemUnavailable', message: longText(5000) },
      }),
    );
    expect([withToken, final, failed].map((job) => emulator.getJob(job.id)?.status)).toEqual([
      'Succeeded',
      'Succeeded',
      'Failed',
    ]);
  });

  it('accepts every documented failure type', async () => {
    const types = [
      'JobFailed',
      'ConfigurationError',
      'PermissionError',
      'RevisionOutOfSync',
      'RevisionUnavailable',
      'SystemUnavailable',
    ] as const;
    for (const type of types) {
      const job = emulator.createJob();
      await client.send(
        new PutJobFailureResultCommand({ jobId: job.id, failureDetails: { type, message: 'm' } }),
      );
      expect(emulator.getJob(job.id)?.result).toMatchObject({
        input: { failureDetails: { type } },
      });
    }
  });

  it.each([
    [
      'an unknown type',
      { type: 'Oops' as FailureType, message: 'm' },
      /failureDetails\.type.*enum/,
    ],
    ['an empty message', { type: 'JobFailed' as const, message: '' }, /failureDetails\.message/],
    ['a message over 5000', { type: 'JobFailed' as const, message: longText(5001) }, /5000/],
  ])('refuses a failure with %s (ValidationException)', async (_name, failureDetails, message) => {
    const job = emulator.createJob();
    const sent = client.send(new PutJobFailureResultCommand({ jobId: job.id, failureDetails }));
    await expect(sent).rejects.toBeInstanceOf(ValidationException);
    await expect(sent).rejects.toThrow(message);
  });

  it('reports every violation of one request at once', async () => {
    const job = emulator.createJob();
    await expect(
      client.send(
        new PutJobSuccessResultCommand({
          jobId: job.id,
          continuationToken: '',
          executionDetails: { percentComplete: 200 },
        }),
      ),
    ).rejects.toThrow(/^2 validation errors detected: .*continuationToken.*percentComplete/);
  });

  it('refuses output variables over 122,880 bytes with OutputVariablesSizeExceededException', async () => {
    const key = 'payload';
    const atLimit = emulator.createJob();
    await client.send(
      new PutJobSuccessResultCommand({
        jobId: atLimit.id,
        outputVariables: { [key]: longText(MAX_OUTPUT_VARIABLES_BYTES - key.length) },
      }),
    );
    const overLimit = emulator.createJob();
    // Bytes, not characters: 'é' takes two.
    const sent = client.send(
      new PutJobSuccessResultCommand({
        jobId: overLimit.id,
        outputVariables: { [key]: `${longText(MAX_OUTPUT_VARIABLES_BYTES - key.length - 1)}é` },
      }),
    );
    await expect(sent).rejects.toBeInstanceOf(OutputVariablesSizeExceededException);
    expect(emulator.getJob(overLimit.id)?.status).toBe('InProgress');
  });
});

describe('job details and job workers', () => {
  it('returns the job data with GetJobDetails', async () => {
    const job = emulator.createJob({
      data: {
        actionConfiguration: { configuration: { FunctionName: 'f', UserParameters: 'p' } },
        continuationToken: 'tok',
      },
    });
    const { jobDetails } = await client.send(new GetJobDetailsCommand({ jobId: job.id }));
    expect(jobDetails).toMatchObject({
      id: job.id,
      accountId: '123456789012',
      data: {
        continuationToken: 'tok',
        actionConfiguration: { configuration: { UserParameters: 'p' } },
        actionTypeId: { owner: 'AWS', provider: 'Lambda' },
      },
    });
  });

  it('hands custom-action jobs out once with PollForJobs and checks the nonce on AcknowledgeJob', async () => {
    const job = emulator.createJob({
      actionTypeId: CUSTOM_ACTION,
      data: { actionConfiguration: { configuration: { Stage: 'prod' } } },
    });
    expect(job.status).toBe('Queued');
    const unmatched = await client.send(
      new PollForJobsCommand({ actionTypeId: CUSTOM_ACTION, queryParam: { Stage: 'dev' } }),
    );
    expect(unmatched.jobs).toEqual([]);
    const { jobs } = await client.send(
      new PollForJobsCommand({
        actionTypeId: CUSTOM_ACTION,
        maxBatchSize: 5,
        queryParam: { Stage: 'prod' },
      }),
    );
    expect(jobs?.map((polled) => polled.id)).toEqual([job.id]);
    const polled = jobs?.[0];
    expect(polled?.nonce).toBe(job.nonce);
    const again = await client.send(new PollForJobsCommand({ actionTypeId: CUSTOM_ACTION }));
    expect(again.jobs).toEqual([]);

    // Not acknowledged yet: the job cannot take a result.
    await expect(
      client.send(new PutJobSuccessResultCommand({ jobId: job.id })),
    ).rejects.toBeInstanceOf(InvalidJobStateException);
    await expect(
      client.send(new AcknowledgeJobCommand({ jobId: job.id, nonce: 'wrong' })),
    ).rejects.toBeInstanceOf(InvalidNonceException);
    const ack = await client.send(new AcknowledgeJobCommand({ jobId: job.id, nonce: job.nonce }));
    expect(ack.status).toBe('InProgress');
    await client.send(new PutJobSuccessResultCommand({ jobId: job.id }));
    expect(emulator.getJob(job.id)?.status).toBe('Succeeded');
  });

  it('answers ActionTypeNotFoundException for an action type it never saw', async () => {
    await expect(
      client.send(
        new PollForJobsCommand({ actionTypeId: { ...CUSTOM_ACTION, provider: 'Nobody' } }),
      ),
    ).rejects.toBeInstanceOf(ActionTypeNotFoundException);
  });
});

describe('wire protocol', () => {
  it('answers unknown operations and malformed JSON with typed 400 errors', async () => {
    const post = (target: string, body: string) =>
      fetch(emulator.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
        body,
      });
    const unknown = await post('CodePipeline_20150709.DeletePipeline', '{}');
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });

    const malformed = await post('CodePipeline_20150709.PutJobSuccessResult', '{"jobId":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ __type: 'SerializationException' });

    const wrongType = await post('CodePipeline_20150709.PutJobSuccessResult', '{"jobId": 42}');
    expect(await wrongType.json()).toMatchObject({ __type: 'SerializationException' });
  });

  it('is found by clients through AWS_ENDPOINT_URL_CODEPIPELINE', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL_CODEPIPELINE', emulator.endpoint);
    const fromEnv = new CodePipelineClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    try {
      const job = emulator.createJob();
      await fromEnv.send(new PutJobSuccessResultCommand({ jobId: job.id }));
      expect(emulator.getJob(job.id)?.status).toBe('Succeeded');
    } finally {
      fromEnv.destroy();
      vi.unstubAllEnvs();
    }
  });
});
