import { READY_MADE_LAMBDA_HANDLER, readyMadeBundlePath } from '@baton/handlers';
import { Annotations, Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as codepipelineActions from 'aws-cdk-lib/aws-codepipeline-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BatonAlarms, type BatonAlarmsOptions } from './baton-alarms.js';
import { type BatonHandler, HandlerSource } from './baton-handler.js';
import {
  type BatonMetric,
  type BatonMetricSource,
  batonMetric,
  DEFAULT_METRICS_NAMESPACE,
} from './baton-metrics.js';
import { jobResultStatement, storeStatement } from './baton-permissions.js';
import { BatonTable } from './baton-table.js';
import { BatonConstructError } from './errors.js';
import { validateUserParameters } from './validate-user-parameters.js';

/**
 * Default timeout of one invocation: 5 minutes. Baton hands a run on to the
 * next invocation instead of waiting inside one (waits longer than
 * `maxInlineWaitSeconds` become continuations), so an invocation only runs a
 * few short steps. The timeout also bounds a dead invocation's lease: a crash
 * is taken over at the latest when its lease ends, and each job must be
 * answered within CodePipeline's 20-minute reply window, so a timeout near
 * Lambda's 15-minute maximum would leave Lambda's retries (1 and 2 minutes
 * later) no room.
 */
export const DEFAULT_TIMEOUT = Duration.minutes(5);
/**
 * Default memory: 512 MB. Steps wait on I/O (HTTP, DynamoDB, CodePipeline),
 * so more memory buys little, but Lambda gives CPU in proportion to memory
 * and a cold start (loading the AWS SDK) is CPU-bound: 512 MB keeps it short
 * at a cost that stays small for invocations of seconds.
 */
export const DEFAULT_MEMORY_MB = 512;
/**
 * Default maximum age of an async event: 30 minutes. CodePipeline fails an
 * action whose job gets no reply for 20 minutes, so an event older than that
 * can no longer be answered; keeping it longer only delays the alarm. Its
 * retries (Lambda makes 2, about 1 and 2 minutes apart) fit well inside.
 */
export const DEFAULT_MAX_EVENT_AGE = Duration.minutes(30);
/** Lambda's async retries Baton relies on (a throw means a retry can help). */
export const ASYNC_RETRY_ATTEMPTS = 2;

const SUPPORTED_RUNTIMES = [lambda.Runtime.NODEJS_22_X, lambda.Runtime.NODEJS_24_X];

/** Properties of {@link BatonFunction}. */
export interface BatonFunctionProps<P> {
  /** The run table (`BATON_TABLE_NAME`); the function may update and put items in it, nothing more. */
  readonly table: BatonTable | dynamodb.ITable;
  /** The code: `BatonHandler.fromEntry(...)`, `BatonHandler.waitForHttp()` or `BatonHandler.deployAndWait()`. */
  readonly handler: BatonHandler<P>;
  /**
   * Node.js runtime: 22 or 24.
   * @default lambda.Runtime.NODEJS_24_X
   */
  readonly runtime?: lambda.Runtime;
  /**
   * Timeout of one invocation.
   * @default {@link DEFAULT_TIMEOUT} (5 minutes)
   */
  readonly timeout?: Duration;
  /**
   * Memory in MB.
   * @default {@link DEFAULT_MEMORY_MB} (512)
   */
  readonly memorySize?: number;
  /**
   * How long the function's log group keeps logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Level of Baton's JSON logs (Lambda sets `AWS_LAMBDA_LOG_LEVEL` from it).
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly logLevel?: lambda.ApplicationLogLevel;
  /**
   * Maximum age of an async event before Lambda gives up on it.
   * @default {@link DEFAULT_MAX_EVENT_AGE} (30 minutes)
   */
  readonly maxEventAge?: Duration;
  /**
   * Queue that receives the events Lambda gave up on (on-failure destination).
   * @default a new queue: SQS-managed encryption, TLS only, 14 days retention
   */
  readonly failureQueue?: sqs.IQueue;
  /**
   * The pipeline's artifact key, when the job reads encrypted artifacts: the
   * function may decrypt with it.
   * @default none
   */
  readonly artifactKey?: kms.IKey;
  /**
   * More environment variables (`BATON_TABLE_NAME` is set).
   * @default none
   */
  readonly environment?: Record<string, string>;
  /**
   * Physical function name.
   * @default a name CloudFormation generates
   */
  readonly functionName?: string;
  /**
   * Function description.
   * @default none
   */
  readonly description?: string;
  /**
   * The function's alarms (see {@link BatonAlarms}), or `false` for none.
   * @default alarms without a topic
   */
  readonly alarms?: BatonAlarmsOptions | false;
  /**
   * The CloudWatch namespace the job writes its metrics to: `metrics.namespace`
   * of its `createLambdaHandler` options. The run alarms and `BatonDashboard`
   * read it.
   * @default 'Baton' (`emfMetrics`' default)
   */
  readonly metricsNamespace?: string;
}

/** Properties of {@link BatonFunction.action}. */
export interface BatonActionProps<P> {
  /** The action's name in its stage. */
  readonly actionName: string;
  /**
   * The action's `UserParameters`, sent to the job as JSON. Checked at synth
   * against the handler's schema (ready-made jobs, or an entry's
   * `userParametersSchema`): a wrong field fails `cdk synth` naming it.
   * @default none
   */
  readonly userParameters?: P;
  /** Input artifacts (`inputArtifacts` of the job). @default none */
  readonly inputs?: codepipeline.Artifact[];
  /** Output artifacts (`outputArtifacts` of the job). @default none */
  readonly outputs?: codepipeline.Artifact[];
  /** Namespace of the action's output variables. @default none */
  readonly variablesNamespace?: string;
  /** Order of the action in its stage. @default 1 */
  readonly runOrder?: number;
  /** Role the pipeline assumes to invoke the function. @default the pipeline's */
  readonly role?: iam.IRole;
}

/**
 * The Lambda function of a Baton job, set up the way Baton relies on: Node.js
 * 22 or 24 on arm64, `BATON_TABLE_NAME` set, JSON logs in a log group with
 * retention, async invocations retried twice with a maximum event age and an
 * on-failure queue, alarms, and a role that may do exactly what the code
 * calls: `dynamodb:UpdateItem` and `dynamodb:PutItem` on the one table,
 * `codepipeline:PutJobSuccessResult` and `PutJobFailureResult`, and KMS
 * decryption with the artifact key when one is given.
 *
 * @example
 * ```ts
 * const table = new BatonTable(this, 'Runs');
 * const check = new BatonFunction(this, 'Check', { table, handler: BatonHandler.waitForHttp() });
 * stage.addAction(check.action({ actionName: 'Healthy', userParameters: { url } }));
 * ```
 */
export class BatonFunction<P = unknown> extends Construct {
  /** The Lambda function. */
  public readonly function: lambda.Function;
  /** Its execution role. */
  public readonly role: iam.Role;
  /** Its log group. */
  public readonly logGroup: logs.LogGroup;
  /** The queue of events Lambda gave up on. */
  public readonly failureQueue: sqs.IQueue;
  /** The alarms, unless turned off. */
  public readonly alarms: BatonAlarms | undefined;
  /** The code. */
  public readonly handler: BatonHandler<P>;
  /** Where the job's Baton metrics are, when its job name is known. */
  public readonly metricSource: BatonMetricSource | undefined;

  public constructor(scope: Construct, id: string, props: BatonFunctionProps<P>) {
    super(scope, id);
    const runtime = props.runtime ?? lambda.Runtime.NODEJS_24_X;
    if (!SUPPORTED_RUNTIMES.some((supported) => supported.runtimeEquals(runtime))) {
      throw new BatonConstructError(
        `${this.node.path}: runtime ${runtime.name} is not supported; use ${SUPPORTED_RUNTIMES.map((r) => r.name).join(' or ')}`,
      );
    }
    const table = props.table instanceof BatonTable ? props.table.table : props.table;
    this.handler = props.handler;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    // Its own role, with no managed policy: only the statements below.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Baton function ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);
    this.role.addToPrincipalPolicy(storeStatement(table.tableArn));
    this.role.addToPrincipalPolicy(jobResultStatement());
    // DynamoDB uses a customer-managed table key on the caller's behalf.
    table.encryptionKey?.grantEncryptDecrypt(this.role);
    props.artifactKey?.grantDecrypt(this.role);

    this.failureQueue =
      props.failureQueue ??
      new sqs.Queue(this, 'FailedEvents', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });

    const common: lambda.FunctionOptions = {
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout ?? DEFAULT_TIMEOUT,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: props.logLevel ?? lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment: { ...props.environment, BATON_TABLE_NAME: table.tableName },
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      maxEventAge: props.maxEventAge ?? DEFAULT_MAX_EVENT_AGE,
      onFailure: new destinations.SqsDestination(this.failureQueue),
      ...(props.functionName === undefined ? {} : { functionName: props.functionName }),
      ...(props.description === undefined ? {} : { description: props.description }),
    };
    this.function =
      props.handler.source === HandlerSource.ReadyMade && props.handler.readyMade !== undefined
        ? new lambda.Function(this, 'Function', {
            ...common,
            runtime,
            // Prebuilt by @baton/handlers: nothing is bundled at synth.
            code:
              props.handler.code ??
              lambda.Code.fromAsset(readyMadeBundlePath(props.handler.readyMade)),
            handler: READY_MADE_LAMBDA_HANDLER,
          })
        : new nodejs.NodejsFunction(this, 'Function', {
            ...common,
            runtime,
            entry: props.handler.entry,
            handler: props.handler.exportName,
            ...(props.handler.depsLockFilePath === undefined
              ? {}
              : { depsLockFilePath: props.handler.depsLockFilePath }),
            bundling: {
              format: nodejs.OutputFormat.ESM,
              minify: true,
              sourceMap: true,
              // The SDK version Baton was tested with, not the runtime's.
              bundleAwsSDK: true,
              mainFields: ['module', 'main'],
              // CommonJS dependencies call require(); an ES module has none.
              banner:
                "import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);",
              ...props.handler.bundling,
              // No Docker on the build machine: esbuild runs locally.
              forceDockerBundling: false,
            },
          });

    this.metricSource =
      props.handler.jobName === undefined
        ? undefined
        : {
            namespace: props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE,
            serviceName: this.function.functionName,
            jobName: props.handler.jobName,
          };
    this.alarms =
      props.alarms === false
        ? undefined
        : new BatonAlarms(this, 'Alarms', {
            ...props.alarms,
            function: this.function,
            failureQueue: this.failureQueue,
            ...(this.metricSource === undefined ? {} : { runs: this.metricSource }),
          });
    if (this.alarms && !this.metricSource) {
      Annotations.of(this).addWarningV2(
        '@baton/cdk:noJobName',
        'no alarms on runs failed and abandoned: the job name is unknown; pass jobName to BatonHandler.fromEntry',
      );
    }
  }

  /**
   * One of the job's Baton metrics (`emfMetrics` of `@baton/core`), over 5
   * minutes: counts summed, times as their median, unless `props` say otherwise.
   *
   * @throws {BatonConstructError} when the job name is unknown (an entry without `jobName`)
   * @example
   * ```ts
   * new cloudwatch.GraphWidget({ left: [fn.metric(BatonMetric.RunsFailed)] });
   * ```
   */
  public metric(name: BatonMetric, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    if (!this.metricSource) {
      throw new BatonConstructError(
        `${this.node.path}: the job name is unknown, so its metrics cannot be named; pass jobName to BatonHandler.fromEntry`,
      );
    }
    return batonMetric(this.metricSource, name, props);
  }

  /**
   * The CodePipeline action that invokes this function, its
   * `userParameters` checked against the handler's schema.
   *
   * @throws {UserParametersError} when `userParameters` fail the schema
   * @example
   * ```ts
   * stage.addAction(fn.action({ actionName: 'Healthy', userParameters: { url }, runOrder: 2 }));
   * ```
   */
  public action(props: BatonActionProps<P>): codepipelineActions.LambdaInvokeAction {
    const schema = this.handler.userParametersSchema;
    if (schema) validateUserParameters(schema, props.userParameters, props.actionName);
    return new codepipelineActions.LambdaInvokeAction({
      actionName: props.actionName,
      lambda: this.function,
      ...(props.userParameters === undefined
        ? {}
        : { userParameters: props.userParameters as Record<string, unknown> }),
      ...(props.inputs === undefined ? {} : { inputs: props.inputs }),
      ...(props.outputs === undefined ? {} : { outputs: props.outputs }),
      ...(props.variablesNamespace === undefined
        ? {}
        : { variablesNamespace: props.variablesNamespace }),
      ...(props.runOrder === undefined ? {} : { runOrder: props.runOrder }),
      ...(props.role === undefined ? {} : { role: props.role }),
    });
  }
}
