import { READY_MADE_LAMBDA_HANDLER, SweepMetric, sweepBundlePath } from '@baton/handlers';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ALARM_PERIOD, batonAlarm } from './baton-alarms.js';
import { DEFAULT_METRICS_NAMESPACE } from './baton-metrics.js';
import { sweepStatements } from './baton-permissions.js';
import { BatonTable } from './baton-table.js';
import { BatonConstructError } from './errors.js';

export { SweepMetric };

/**
 * Default time between sweeps: 15 minutes. A run is found abandoned once
 * nothing has touched it for 30 minutes (CodePipeline's 20-minute reply
 * window and 10 minutes for a continuation's next job), so a sweep every 15
 * minutes marks it at most 45 minutes after its last touch, at 96 short
 * invocations a day.
 */
export const DEFAULT_SWEEP_INTERVAL = Duration.minutes(15);

/** Properties of {@link BatonSweep}. */
export interface BatonSweepProps {
  /** The run table to sweep; it must have the `runs-by-status` index (a `BatonTable` has it). */
  readonly table: BatonTable | dynamodb.ITable;
  /**
   * Time between sweeps, whole minutes from 1 minute to 1 day.
   * @default {@link DEFAULT_SWEEP_INTERVAL} (15 minutes)
   */
  readonly interval?: Duration;
  /**
   * CloudWatch namespace of the sweep's metrics (`BATON_METRICS_NAMESPACE`).
   * @default 'Baton'
   */
  readonly metricsNamespace?: string;
  /**
   * Timeout of one sweep. A sweep reads 100 running runs per query and writes
   * once per abandoned run: seconds, even for thousands of runs in flight.
   * @default 2 minutes
   */
  readonly timeout?: Duration;
  /**
   * How long the sweep's log group keeps logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * The sweep's alarms (runs it marked abandoned, its errors), notifying
   * `topic` when given; `false` for none.
   * @default alarms without a topic
   */
  readonly alarms?: { readonly topic?: sns.ITopic } | false;
  /**
   * Where the function's code comes from.
   * @default the `sweep-runs` zip `@baton/handlers` ships, as an asset
   */
  readonly code?: lambda.Code;
}

/**
 * The scheduled sweep of a run table: a Lambda function that runs
 * `sweepRuns` (it marks `abandoned` the runs no invocation will ever move
 * again), invoked by an EventBridge rule every 15 minutes. Its role may do
 * exactly what the sweep sends: `dynamodb:Query` on the table's
 * `runs-by-status` index, `dynamodb:BatchGetItem` and `dynamodb:UpdateItem`
 * on the table (and use the table's key, when it has one). Its code is the
 * prebuilt `sweep-runs` bundle of `@baton/handlers`: nothing is bundled at
 * synth. It writes `RunsAbandoned` and `SweepRunsRead` (dimension
 * `ServiceName`, the sweep function's name); an alarm fires when it marks a
 * run.
 *
 * @example
 * ```ts
 * const table = new BatonTable(this, 'Runs');
 * new BatonSweep(this, 'Sweep', { table, alarms: { topic } });
 * ```
 */
export class BatonSweep extends Construct {
  /** The sweep's Lambda function. */
  public readonly function: lambda.Function;
  /** Its execution role. */
  public readonly role: iam.Role;
  /** Its log group. */
  public readonly logGroup: logs.LogGroup;
  /** The EventBridge rule that invokes it. */
  public readonly rule: events.Rule;
  /** The namespace of its metrics. */
  public readonly metricsNamespace: string;
  /** Its alarms (runs marked abandoned, then function errors), unless turned off. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  public constructor(scope: Construct, id: string, props: BatonSweepProps) {
    super(scope, id);
    const interval = props.interval ?? DEFAULT_SWEEP_INTERVAL;
    const minutes = interval.toMinutes({ integral: false });
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) {
      throw new BatonConstructError(
        `${this.node.path}: interval must be whole minutes from 1 minute to 1 day, not ${interval.toHumanString()}`,
      );
    }
    const table = props.table instanceof BatonTable ? props.table.table : props.table;
    this.metricsNamespace = props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    // Its own role, with no managed policy: only the statements below.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Baton sweep ${this.node.path}`,
    });
    this.logGroup.grantWrite(this.role);
    for (const statement of sweepStatements(table.tableArn)) {
      this.role.addToPrincipalPolicy(statement);
    }
    // UpdateItem on a table with a customer-managed key uses the key on the caller's behalf.
    table.encryptionKey?.grantEncryptDecrypt(this.role);

    this.function = new lambda.Function(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      // Prebuilt by @baton/handlers: nothing is bundled at synth.
      code: props.code ?? lambda.Code.fromAsset(sweepBundlePath()),
      handler: READY_MADE_LAMBDA_HANDLER,
      timeout: props.timeout ?? Duration.minutes(2),
      memorySize: 256,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment: {
        BATON_TABLE_NAME: table.tableName,
        BATON_METRICS_NAMESPACE: this.metricsNamespace,
      },
      description: 'Baton: marks abandoned the runs no invocation will ever move again',
    });

    this.rule = new events.Rule(this, 'Schedule', {
      schedule: events.Schedule.rate(interval),
      description: `Baton sweep of ${table.node.path}, every ${interval.toHumanString()}`,
      // A missed sweep is made good by the next one: no retries pile up.
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0 })],
    });

    if (props.alarms !== false) {
      const topic = props.alarms?.topic;
      const sum = { period: ALARM_PERIOD, statistic: cloudwatch.Stats.SUM };
      this.alarms.push(
        batonAlarm(
          this,
          'RunsAbandoned',
          this.metric(SweepMetric.RunsAbandoned),
          {
            threshold: 1,
            description:
              'The Baton sweep marked runs abandoned: CodePipeline failed their actions (no reply in 20 minutes, deadline or 24-hour limit passed); see the sweep log for the runs',
          },
          topic,
        ),
        batonAlarm(
          this,
          'Errors',
          this.function.metricErrors(sum),
          {
            threshold: 1,
            description: 'The Baton sweep failed: abandoned runs still show as running',
          },
          topic,
        ),
      );
    }
  }

  /**
   * One of the sweep's metrics (`RunsAbandoned`, `SweepRunsRead`), summed over 5 minutes.
   *
   * @example
   * ```ts
   * new cloudwatch.GraphWidget({ left: [sweep.metric('RunsAbandoned')] });
   * ```
   */
  public metric(name: SweepMetric, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.metricsNamespace,
      metricName: name,
      dimensionsMap: { ServiceName: this.function.functionName },
      period: ALARM_PERIOD,
      statistic: cloudwatch.Stats.SUM,
      ...props,
    });
  }
}
