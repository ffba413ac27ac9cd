import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { BatonFunction } from './baton-function.js';
import { BatonMetric, batonMetric } from './baton-metrics.js';
import { type BatonSweep, SweepMetric } from './baton-sweep.js';
import { BatonConstructError } from './errors.js';

/** Properties of {@link BatonDashboard}. */
export interface BatonDashboardProps {
  /** The Baton functions to show, one row group each; their job names must be known. */
  readonly functions: readonly BatonFunction[];
  /**
   * The scheduled sweep, whose runs marked abandoned are shown too.
   * @default none
   */
  readonly sweep?: BatonSweep;
  /**
   * Physical dashboard name.
   * @default a name CloudFormation generates
   */
  readonly dashboardName?: string;
  /**
   * Time range shown when the dashboard opens.
   * @default 1 day
   */
  readonly defaultRange?: Duration;
}

const INVOCATION_RESULTS = [
  BatonMetric.InvocationsReported,
  BatonMetric.InvocationsResent,
  BatonMetric.InvocationsInProgress,
  BatonMetric.InvocationsStale,
  BatonMetric.InvocationsRejected,
  BatonMetric.InvocationsLeaseLost,
  BatonMetric.InvocationsThrown,
] as const;
const RUN_COUNTS = [
  BatonMetric.RunsStarted,
  BatonMetric.RunsSucceeded,
  BatonMetric.RunsFailed,
  BatonMetric.RunsAbandoned,
] as const;
const STEP_COUNTS = [
  BatonMetric.StepsRun,
  BatonMetric.StepErrors,
  BatonMetric.StepRetries,
  BatonMetric.HandOnsWithoutStep,
] as const;
const TROUBLE_COUNTS = [BatonMetric.Crashes, BatonMetric.ReportRetries] as const;
const REQUEST_TIMES = [
  BatonMetric.DynamoDBRequestTime,
  BatonMetric.CodePipelineRequestTime,
] as const;

/**
 * A CloudWatch dashboard of Baton's metrics (what `emfMetrics` of
 * `@baton/core` writes), per function: invocations by how they ended, runs
 * started, succeeded, failed and abandoned, run duration, step calls,
 * errors, retries and duration, crashes and report retries, DynamoDB and
 * CodePipeline request times, invocation duration; and the sweep's runs
 * marked abandoned, and the alarms' states.
 *
 * @example
 * ```ts
 * new BatonDashboard(this, 'Dashboard', { functions: [check, deploy], sweep });
 * ```
 */
export class BatonDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  public constructor(scope: Construct, id: string, props: BatonDashboardProps) {
    super(scope, id);
    if (props.functions.length === 0) {
      throw new BatonConstructError(`${this.node.path}: functions is empty: give at least one`);
    }
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      ...(props.dashboardName === undefined ? {} : { dashboardName: props.dashboardName }),
      defaultInterval: props.defaultRange ?? Duration.days(1),
    });
    for (const fn of props.functions) this.dashboard.addWidgets(...functionWidgets(this, fn));
    const alarms = [
      ...props.functions.flatMap((fn) => fn.alarms?.alarms ?? []),
      ...(props.sweep?.alarms ?? []),
    ];
    const closing: cloudwatch.IWidget[] = [];
    if (props.sweep) {
      closing.push(
        new cloudwatch.GraphWidget({
          title: 'Sweep: runs marked abandoned, running runs read',
          left: [props.sweep.metric(SweepMetric.RunsAbandoned)],
          right: [props.sweep.metric(SweepMetric.SweepRunsRead, { statistic: 'Maximum' })],
          width: 12,
        }),
      );
    }
    if (alarms.length > 0) {
      closing.push(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 12 }));
    }
    if (closing.length > 0) this.dashboard.addWidgets(...closing);
  }
}

function functionWidgets(scope: Construct, fn: BatonFunction): cloudwatch.IWidget[] {
  const source = fn.metricSource;
  if (!source) {
    throw new BatonConstructError(
      `${scope.node.path}: the job name of ${fn.node.path} is unknown, so its metrics cannot be named; pass jobName to BatonHandler.fromEntry`,
    );
  }
  const metric = (name: BatonMetric, props: cloudwatch.MetricOptions = {}) =>
    batonMetric(source, name, { label: name, ...props });
  const percentiles = (name: BatonMetric) =>
    ['p50', 'p90', 'Maximum'].map((statistic) =>
      metric(name, { statistic, label: `${name} ${statistic}` }),
    );
  const job = source.jobName;
  return [
    new cloudwatch.TextWidget({ markdown: `## Baton job ${job}`, width: 24, height: 1 }),
    new cloudwatch.GraphWidget({
      title: `${job}: invocations by how they ended`,
      left: INVOCATION_RESULTS.map((name) => metric(name)),
      stacked: true,
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: `${job}: runs`,
      left: RUN_COUNTS.map((name) => metric(name)),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: `${job}: run duration (ms)`,
      left: percentiles(BatonMetric.RunDuration),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: `${job}: steps, errors, retries, hand-ons without a step`,
      left: STEP_COUNTS.map((name) => metric(name)),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: `${job}: step duration (ms)`,
      left: percentiles(BatonMetric.StepDuration),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: `${job}: crashes and report retries`,
      left: TROUBLE_COUNTS.map((name) => metric(name)),
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: `${job}: request times (ms, p90)`,
      left: REQUEST_TIMES.map((name) => metric(name, { statistic: 'p90', label: `${name} p90` })),
      width: 12,
    }),
    new cloudwatch.GraphWidget({
      title: `${job}: invocation duration (ms)`,
      left: percentiles(BatonMetric.InvocationDuration),
      width: 12,
    }),
  ];
}
