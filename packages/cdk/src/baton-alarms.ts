import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BatonMetric, type BatonMetricSource, batonMetric } from './baton-metrics.js';

/** The window every alarm counts over. */
export const ALARM_PERIOD = Duration.minutes(5);

/** Options of the alarms of a {@link BatonFunction}. */
export interface BatonAlarmsOptions {
  /**
   * Topic notified when an alarm fires (and when it recovers).
   * @default none: the alarms only change state
   */
  readonly topic?: sns.ITopic;
  /**
   * Function errors in {@link ALARM_PERIOD} that fire the errors alarm. Baton
   * throws only when a retry can help (a transient DynamoDB or CodePipeline
   * error), and Lambda retries such an event twice: 3 errors are at least one
   * event that used up its retries, or a fault that hits every event.
   * @default 3
   */
  readonly errorsThreshold?: number;
  /**
   * Runs failed in {@link ALARM_PERIOD} that fire the runs-failed alarm (a
   * failed run is a failed pipeline action).
   * @default 1
   */
  readonly runsFailedThreshold?: number;
  /**
   * Runs abandoned in {@link ALARM_PERIOD} (their report refused by
   * CodePipeline) that fire the runs-abandoned alarm.
   * @default 1
   */
  readonly runsAbandonedThreshold?: number;
}

/** One alarm's settings. */
export interface BatonAlarmOptions {
  /** Fires at or above this value. */
  readonly threshold: number;
  /** What the alarm means, for whoever is notified. */
  readonly description: string;
  /**
   * Periods at or over the threshold before it fires.
   * @default 1
   */
  readonly evaluationPeriods?: number;
}

/**
 * An alarm with Baton's settings: fires when `metric` is at or above the
 * threshold for `evaluationPeriods` periods, treats missing data as fine,
 * and notifies `topic` (when given) when it fires and when it recovers.
 *
 * @example
 * ```ts
 * batonAlarm(this, 'RunsFailed', metric, { threshold: 1, description: 'runs failed' }, topic);
 * ```
 */
export function batonAlarm(
  scope: Construct,
  id: string,
  metric: cloudwatch.IMetric,
  options: BatonAlarmOptions,
  topic: sns.ITopic | undefined,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric,
    threshold: options.threshold,
    evaluationPeriods: options.evaluationPeriods ?? 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: options.description,
  });
  if (topic) {
    const action = new actions.SnsAction(topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
  return alarm;
}

/** What {@link BatonAlarms} watches. */
export interface BatonAlarmsProps extends BatonAlarmsOptions {
  /** The Baton function. */
  readonly function: lambda.IFunction;
  /** The queue that receives the events Lambda gave up on. */
  readonly failureQueue: sqs.IQueue;
  /**
   * Where the job's run metrics are: with it, `RunsFailed` and
   * `RunsAbandoned` get alarms too.
   * @default none: no run alarms
   */
  readonly runs?: BatonMetricSource;
}

/**
 * The alarms of one Baton function, each notifying the topic when given:
 *
 * - `Errors`: function errors ≥ `errorsThreshold` (3) in 5 minutes;
 * - `Throttles`: any throttled invocation in 5 minutes (an async event
 *   throttled for longer than its maximum age is lost to the job, and
 *   CodePipeline fails an action that gets no reply for 20 minutes);
 * - `AsyncEventsDropped`: any event Lambda dropped without running it to the
 *   end (too old, or out of retries), whether or not it reached the queue;
 * - `FailedEvents`: any message visible in the on-failure queue: a job whose
 *   event is there got no answer from that delivery and needs a look.
 *
 * - `RunsFailed`, `RunsAbandoned` (with `runs`): Baton's own metrics, a run
 *   that failed (≥ `runsFailedThreshold`, 1) or that an invocation found
 *   refused by CodePipeline (≥ `runsAbandonedThreshold`, 1). Runs the
 *   scheduled sweep marks are alarmed by `BatonSweep`.
 *
 * Missing data (no invocations) is not breaching. {@link addAlarm} adds more.
 *
 * @example
 * ```ts
 * const alarms = new BatonAlarms(this, 'Alarms', { function: fn, failureQueue: queue, topic });
 * alarms.addAlarm('Custom', metric, { threshold: 1 });
 * ```
 */
export class BatonAlarms extends Construct {
  /** Every alarm, in the order created. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** Function errors. */
  public readonly errors: cloudwatch.Alarm;
  /** Function throttles. */
  public readonly throttles: cloudwatch.Alarm;
  /** Async events dropped by Lambda. */
  public readonly asyncEventsDropped: cloudwatch.Alarm;
  /** Messages in the on-failure queue. */
  public readonly failedEvents: cloudwatch.Alarm;
  /** Runs failed (when the job's metrics are known). */
  public readonly runsFailed: cloudwatch.Alarm | undefined;
  /** Runs abandoned by an invocation (when the job's metrics are known). */
  public readonly runsAbandoned: cloudwatch.Alarm | undefined;
  readonly #topic: sns.ITopic | undefined;

  public constructor(scope: Construct, id: string, props: BatonAlarmsProps) {
    super(scope, id);
    this.#topic = props.topic;
    const fn = props.function;
    const sum = { period: ALARM_PERIOD, statistic: cloudwatch.Stats.SUM };
    this.errors = this.addAlarm('Errors', fn.metricErrors(sum), {
      threshold: props.errorsThreshold ?? 3,
      description: 'Baton function errors: events that failed and were retried by Lambda',
    });
    this.throttles = this.addAlarm('Throttles', fn.metricThrottles(sum), {
      threshold: 1,
      description: 'Baton function throttled: jobs wait, and fail after 20 minutes without reply',
    });
    this.asyncEventsDropped = this.addAlarm(
      'AsyncEventsDropped',
      fn.metric('AsyncEventsDropped', sum),
      {
        threshold: 1,
        description: 'Lambda dropped CodePipeline job events without running them to the end',
      },
    );
    this.failedEvents = this.addAlarm(
      'FailedEvents',
      props.failureQueue.metricApproximateNumberOfMessagesVisible({
        period: ALARM_PERIOD,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      {
        threshold: 1,
        description: 'Job events Lambda gave up on are waiting in the on-failure queue',
      },
    );
    const runs = props.runs;
    this.runsFailed = runs
      ? this.addAlarm('RunsFailed', batonMetric(runs, BatonMetric.RunsFailed), {
          threshold: props.runsFailedThreshold ?? 1,
          description: `Baton runs of ${runs.jobName} failed: their pipeline actions failed (see baton runs list --status failed)`,
        })
      : undefined;
    this.runsAbandoned = runs
      ? this.addAlarm('RunsAbandoned', batonMetric(runs, BatonMetric.RunsAbandoned), {
          threshold: props.runsAbandonedThreshold ?? 1,
          description: `Baton runs of ${runs.jobName} abandoned: CodePipeline refused their result (see baton runs list --status abandoned)`,
        })
      : undefined;
  }

  /**
   * Adds an alarm that fires when `metric` is at or above `threshold` for one
   * period, and notifies the topic. Alarms on Baton's run metrics plug in here.
   *
   * @example
   * ```ts
   * alarms.addAlarm('RunsFailed', runsFailedMetric, { threshold: 1, description: 'runs failed' });
   * ```
   */
  public addAlarm(
    id: string,
    metric: cloudwatch.IMetric,
    options: BatonAlarmOptions,
  ): cloudwatch.Alarm {
    const alarm = batonAlarm(this, id, metric, options, this.#topic);
    this.alarms.push(alarm);
    return alarm;
  }
}
