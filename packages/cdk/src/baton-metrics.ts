import { BatonMetric } from '@baton/core';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ALARM_PERIOD } from './baton-alarms.js';

export { BatonMetric };

/** The metrics namespace Baton writes to unless told otherwise (`emfMetrics`' default). */
export const DEFAULT_METRICS_NAMESPACE = 'Baton';

/** Where one job's metrics are: what `emfMetrics` of `@baton/core` writes them under. */
export interface BatonMetricSource {
  /** The CloudWatch namespace (`metrics.namespace`, default `Baton`). */
  readonly namespace: string;
  /** The `ServiceName` dimension: the function's name, unless the job sets `metrics.serviceName`. */
  readonly serviceName: string;
  /** The `JobName` dimension: the job definition's `name`. */
  readonly jobName: string;
}

/** The metrics that are times in milliseconds; the others are counts. */
const TIME_METRICS: ReadonlySet<BatonMetric> = new Set([
  BatonMetric.InvocationDuration,
  BatonMetric.StepDuration,
  BatonMetric.RunDuration,
  BatonMetric.DynamoDBRequestTime,
  BatonMetric.CodePipelineRequestTime,
]);

/** Whether `name` is a time (ms) rather than a count. */
export function isTimeMetric(name: BatonMetric): boolean {
  return TIME_METRICS.has(name);
}

/**
 * One of Baton's metrics for one job, over 5 minutes: counts summed, times
 * as their median (`p50`), unless `props` say otherwise.
 *
 * @example
 * ```ts
 * batonMetric({ namespace: 'Baton', serviceName: fn.functionName, jobName: 'deploy' }, BatonMetric.RunsFailed);
 * ```
 */
export function batonMetric(
  source: BatonMetricSource,
  name: BatonMetric,
  props: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: source.namespace,
    metricName: name,
    dimensionsMap: { ServiceName: source.serviceName, JobName: source.jobName },
    period: ALARM_PERIOD,
    statistic: isTimeMetric(name) ? 'p50' : cloudwatch.Stats.SUM,
    ...props,
  });
}
