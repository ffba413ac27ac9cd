import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

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
 * Missing data (no invocations) is not breaching. Alarms on Baton's own run
 * metrics (runs failed, runs abandoned) are added with {@link addAlarm} once
 * Baton publishes them; that is the extension point.
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
