import {
  type DeployAndWaitParams,
  deployAndWaitParamsSchema,
  ReadyMadeHandler,
  type WaitForHttpParams,
  waitForHttpParamsSchema,
} from '@baton/handlers';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

/** `userParameters` of a `wait-for-http` action, as written (defaults optional). */
export type WaitForHttpUserParameters = StandardSchemaV1.InferInput<typeof waitForHttpParamsSchema>;
/** `userParameters` of a `deploy-and-wait` action, as written (defaults optional). */
export type DeployAndWaitUserParameters = StandardSchemaV1.InferInput<
  typeof deployAndWaitParamsSchema
>;
export type { DeployAndWaitParams, WaitForHttpParams };
export { ReadyMadeHandler };

/** Where a function's code comes from. */
export const HandlerSource = {
  /** The user's own entry file, bundled with esbuild at synth. */
  Entry: 'entry',
  /** A bundle `@baton/handlers` ships, uploaded as is. */
  ReadyMade: 'ready-made',
} as const;
export type HandlerSource = (typeof HandlerSource)[keyof typeof HandlerSource];

/** Options of the ready-made handlers. */
export interface ReadyMadeHandlerOptions {
  /**
   * Where the function's code comes from, e.g. `lambda.Code.fromCfnParameters()`
   * for a template deployed without CDK.
   * @default the zip `@baton/handlers` ships, as an asset
   */
  readonly code?: lambda.Code;
}

/** Options of {@link BatonHandler.fromEntry}. */
export interface EntryHandlerOptions<P> {
  /**
   * The `name` of the job definition the entry runs: the `JobName` dimension
   * of its metrics, which the run alarms (runs failed, runs abandoned) and
   * `BatonDashboard` read.
   * @default unknown: the function gets no run alarms (synth warns) and no dashboard
   */
  readonly jobName?: string;
  /**
   * Name of the handler's export in the entry file.
   * @default 'handler'
   */
  readonly exportName?: string;
  /**
   * Schema of the action's `userParameters` (any Standard Schema: the zod
   * schema the job parses them with fits), checked at synth.
   * @default none: `userParameters` are passed on unchecked
   */
  readonly userParametersSchema?: StandardSchemaV1<P>;
  /**
   * esbuild settings merged over Baton's (minified ESM for Node, the AWS SDK
   * bundled). Bundling always runs locally (`forceDockerBundling: false`):
   * esbuild must be installed in the CDK app's project.
   * @default Baton's settings
   */
  readonly bundling?: nodejs.BundlingOptions;
  /**
   * The lock file that marks the project root for bundling.
   * @default the nearest package-lock.json, yarn.lock, pnpm-lock.yaml or bun.lockb above the entry
   */
  readonly depsLockFilePath?: string;
}

/**
 * The code of a {@link BatonFunction}: a user's job module, bundled locally
 * with esbuild at synth, or a ready-made job of `@baton/handlers`, whose
 * prebuilt bundle is uploaded as it is. `P` types the action's
 * `userParameters`.
 *
 * @example
 * ```ts
 * BatonHandler.waitForHttp();
 * BatonHandler.fromEntry('src/wait-for-version.ts');
 * ```
 */
export class BatonHandler<P = unknown> {
  /**
   * A job module of yours: `entry` exports a handler made with
   * `createLambdaHandler(job)`.
   *
   * @example
   * ```ts
   * BatonHandler.fromEntry(join(__dirname, 'wait-for-version.ts'), { userParametersSchema: params });
   * ```
   */
  public static fromEntry<P = unknown>(
    entry: string,
    options: EntryHandlerOptions<P> = {},
  ): BatonHandler<P> {
    return new BatonHandler<P>({ source: HandlerSource.Entry, entry, ...options });
  }

  /**
   * The ready-made `wait-for-http` job: polls a URL until a condition on its
   * response holds. Its `userParameters` are checked at synth by the schema
   * the handler parses them with.
   *
   * @example
   * ```ts
   * fn.action({ actionName: 'Healthy', userParameters: { url: 'https://example.com/health' } });
   * ```
   */
  public static waitForHttp(
    options: ReadyMadeHandlerOptions = {},
  ): BatonHandler<WaitForHttpUserParameters> {
    return BatonHandler.readyMade(ReadyMadeHandler.WaitForHttp, waitForHttpParamsSchema, options);
  }

  /**
   * The ready-made `deploy-and-wait` job: starts a deployment over HTTP and
   * polls its status. Its `userParameters` are checked at synth by the schema
   * the handler parses them with.
   *
   * @example
   * ```ts
   * BatonHandler.deployAndWait();
   * ```
   */
  public static deployAndWait(
    options: ReadyMadeHandlerOptions = {},
  ): BatonHandler<DeployAndWaitUserParameters> {
    return BatonHandler.readyMade(
      ReadyMadeHandler.DeployAndWait,
      deployAndWaitParamsSchema,
      options,
    );
  }

  private static readyMade<P>(
    name: ReadyMadeHandler,
    schema: StandardSchemaV1,
    options: ReadyMadeHandlerOptions,
  ): BatonHandler<P> {
    return new BatonHandler<P>({
      source: HandlerSource.ReadyMade,
      readyMade: name,
      // Each ready-made job is named as its bundle (a test in @baton/cdk checks it).
      jobName: name,
      userParametersSchema: schema as StandardSchemaV1<P>,
      ...(options.code === undefined ? {} : { code: options.code }),
    });
  }

  /** Entry file or ready-made bundle. */
  public readonly source: HandlerSource;
  /** The entry file (`source` entry). */
  public readonly entry: string | undefined;
  /** The ready-made job (`source` ready-made). */
  public readonly readyMade: ReadyMadeHandler | undefined;
  /** The schema `userParameters` are checked with at synth, if any. */
  public readonly userParametersSchema: StandardSchemaV1<P> | undefined;
  /** esbuild settings (entries only). */
  public readonly bundling: nodejs.BundlingOptions | undefined;
  /** The lock file marking the project root (entries only). */
  public readonly depsLockFilePath: string | undefined;
  /** The handler's export name. */
  public readonly exportName: string;
  /** The job definition's `name` (the `JobName` metric dimension), when known. */
  public readonly jobName: string | undefined;
  /** The code of a ready-made handler, when not the shipped zip. */
  public readonly code: lambda.Code | undefined;

  private constructor(init: {
    source: HandlerSource;
    entry?: string;
    readyMade?: ReadyMadeHandler;
    jobName?: string;
    exportName?: string;
    userParametersSchema?: StandardSchemaV1<P>;
    bundling?: nodejs.BundlingOptions;
    depsLockFilePath?: string;
    code?: lambda.Code;
  }) {
    this.source = init.source;
    this.entry = init.entry;
    this.readyMade = init.readyMade;
    this.exportName = init.exportName ?? 'handler';
    this.jobName = init.jobName;
    this.userParametersSchema = init.userParametersSchema;
    this.bundling = init.bundling;
    this.depsLockFilePath = init.depsLockFilePath;
    this.code = init.code;
  }
}
