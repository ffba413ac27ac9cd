import { EmulatorStoppedError } from './codepipeline-errors.js';
import { type JobRequestHooks, startCodePipelineServer } from './codepipeline-server.js';
import type { ActionTypeId, CodePipelineJobEvent, JobData } from './codepipeline-shapes.js';
import {
  buildJobData,
  createArtifactCredentials,
  DEFAULT_LAMBDA_EVENT_TEMPLATE,
  toLambdaEvent,
} from './job-event-template.js';
import { type EmulatedJob, JobRegistry } from './job-registry.js';
import type { LambdaActionOptions, LambdaActionResult } from './lambda-action-options.js';
import { LambdaActionRun } from './lambda-action-run.js';

/** Options of {@link startCodePipelineEmulator}. */
export interface CodePipelineEmulatorOptions {
  /**
   * Interface the HTTP server listens on.
   * @default '127.0.0.1'
   */
  host?: string;
  /**
   * Port; `0` picks a free one.
   * @default 0
   */
  port?: number;
  /**
   * Region in `clientConfig`, and `AWS_REGION` of isolated handlers when the
   * test process sets none.
   * @default 'us-east-1'
   */
  region?: string;
  /**
   * Default `timeScale` of played actions (real ms per pipeline ms while no
   * handler runs).
   * @default 1
   */
  timeScale?: number;
}

/** Options of {@link CodePipelineEmulator.createJob}. */
export interface CreateJobOptions {
  /**
   * The job's action type. Lambda invoke jobs start `InProgress`; any other type
   * (e.g. a custom action) starts `Queued`, to be taken with `PollForJobs` and
   * `AcknowledgeJob`.
   * @default { category: 'Invoke', owner: 'AWS', provider: 'Lambda', version: '1' }
   */
  actionTypeId?: ActionTypeId;
  /**
   * The job's data.
   * @default the default template's data, with fresh artifact credentials
   */
  data?: JobData;
  /** @default '123456789012' */
  accountId?: string;
}

/** A job made with {@link CodePipelineEmulator.createJob}: a snapshot plus its Lambda event. */
export interface CreatedJob extends EmulatedJob {
  /** The event Lambda would get for this job. */
  event: CodePipelineJobEvent;
}

/** A running CodePipeline emulator. */
export interface CodePipelineEmulator {
  /** The HTTP endpoint, e.g. `http://127.0.0.1:40123`. */
  readonly endpoint: string;
  readonly region: string;
  /**
   * Configuration for `new CodePipelineClient(...)` in the test process:
   * endpoint, region and dummy credentials.
   */
  readonly clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /**
   * Plays one Lambda invoke action end to end (see {@link LambdaActionOptions})
   * and resolves with its result; the handler's report errors do not reject it.
   * Rejects with `EmulatorConfigurationError` for unusable options and
   * `EmulatorStoppedError` when the emulator stops first.
   */
  runLambdaAction(options: LambdaActionOptions): Promise<LambdaActionResult>;
  /** Creates a single job outside any action, e.g. to test a job worker or the protocol. */
  createJob(options?: CreateJobOptions): CreatedJob;
  /** A snapshot of a job, or `undefined` if the emulator has none with this id. */
  getJob(jobId: string): EmulatedJob | undefined;
  /** Aborts running actions, kills their containers and closes the server. */
  stop(): Promise<void>;
}

/**
 * Starts a local CodePipeline: an HTTP server speaking the job worker API
 * (`PutJobSuccessResult`, `PutJobFailureResult`, `GetJobDetails`,
 * `PollForJobs`, `AcknowledgeJob`) with the real validation and error names,
 * and a player for Lambda invoke actions with continuations, Lambda's retries,
 * timeouts and injected faults.
 *
 * @example
 * ```ts
 * const emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 });
 * try {
 *   const result = await emulator.runLambdaAction({
 *     handler: './src/handler.ts#handler',
 *     userParameters: { url: 'https://example.com' },
 *   });
 *   expect(result.status).toBe('Succeeded');
 * } finally {
 *   await emulator.stop();
 * }
 * ```
 */
export async function startCodePipelineEmulator(
  options: CodePipelineEmulatorOptions = {},
): Promise<CodePipelineEmulator> {
  const registry = new JobRegistry();
  const hooks = new Map<string, JobRequestHooks>();
  const server = await startCodePipelineServer({
    registry,
    hooksFor: (jobId) => hooks.get(jobId),
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
  });
  const region = options.region ?? 'us-east-1';
  const runs = new Map<LambdaActionRun, Promise<LambdaActionResult>>();
  let stopped = false;

  return {
    endpoint: server.endpoint,
    region,
    clientConfig: {
      endpoint: server.endpoint,
      region,
      credentials: { accessKeyId: 'emulated', secretAccessKey: 'emulated' },
    },
    async runLambdaAction(actionOptions) {
      if (stopped) throw new EmulatorStoppedError();
      const run = new LambdaActionRun(
        {
          registry,
          endpoint: server.endpoint,
          region,
          timeScale: options.timeScale ?? 1,
          attachJob: (jobId, jobHooks) => hooks.set(jobId, jobHooks),
          detachJob: (jobId) => hooks.delete(jobId),
        },
        actionOptions,
      );
      const playing = run.play();
      runs.set(run, playing);
      try {
        return await playing;
      } finally {
        runs.delete(run);
      }
    },
    createJob(jobOptions = {}) {
      const job = registry.create({
        data:
          jobOptions.data ??
          buildJobData(DEFAULT_LAMBDA_EVENT_TEMPLATE, {
            artifactCredentials: createArtifactCredentials(),
          }),
        ...(jobOptions.accountId === undefined ? {} : { accountId: jobOptions.accountId }),
        ...(jobOptions.actionTypeId === undefined ? {} : { actionTypeId: jobOptions.actionTypeId }),
      });
      return { ...structuredClone(job), event: toLambdaEvent(job.id, job.accountId, job.data) };
    },
    getJob(jobId) {
      const job = registry.get(jobId);
      return job ? structuredClone(job) : undefined;
    },
    async stop() {
      stopped = true;
      for (const run of runs.keys()) run.abort(new EmulatorStoppedError());
      await Promise.allSettled(runs.values());
      await server.close();
    },
  };
}

/**
 * Plays one Lambda invoke action on an emulator of its own, stopped afterwards.
 * Meant for module-spec handlers, which find the emulator through
 * `AWS_ENDPOINT_URL_CODEPIPELINE`; an in-process handler needs the endpoint
 * before it runs, so use {@link startCodePipelineEmulator} for those.
 *
 * @example
 * ```ts
 * const result = await runLambdaAction({
 *   handler: './tests/fixtures/deploy-handler.ts#handler',
 *   timeScale: 1 / 1000,
 *   faults: [{ kind: 'throttle', times: 1 }],
 * });
 * expect(result.status).toBe('Succeeded');
 * ```
 */
export async function runLambdaAction(
  options: LambdaActionOptions & {
    /** Options of the emulator started for this action. @default {} */
    emulator?: CodePipelineEmulatorOptions;
  },
): Promise<LambdaActionResult> {
  const { emulator: emulatorOptions, ...actionOptions } = options;
  const emulator = await startCodePipelineEmulator(emulatorOptions);
  try {
    return await emulator.runLambdaAction(actionOptions);
  } finally {
    await emulator.stop();
  }
}
