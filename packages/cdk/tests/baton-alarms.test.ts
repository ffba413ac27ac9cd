import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { BatonFunction, BatonHandler, BatonTable } from '../src/index.js';
import { templateOf, testStack } from './test-stack.js';

interface AlarmProperties {
  MetricName: string;
  Namespace: string;
  Statistic: string;
  Period: number;
  Threshold: number;
  EvaluationPeriods: number;
  ComparisonOperator: string;
  TreatMissingData: string;
  Dimensions: Array<{ Name: string; Value: unknown }>;
  AlarmActions?: unknown[];
  OKActions?: unknown[];
}

function alarmsOf(stack: ReturnType<typeof testStack>): AlarmProperties[] {
  const alarms = templateOf(stack).findResources('AWS::CloudWatch::Alarm');
  return Object.values(alarms).map((a) => (a as { Properties: AlarmProperties }).Properties);
}

describe('BatonAlarms', () => {
  it('watches errors, throttles, dropped events and the on-failure queue, notifying the topic', () => {
    const stack = testStack();
    const table = new BatonTable(stack, 'Runs');
    const topic = new sns.Topic(stack, 'Alerts');
    const fn = new BatonFunction(stack, 'Check', {
      table,
      handler: BatonHandler.waitForHttp(),
      alarms: { topic },
    });
    const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as never) };
    const functionRef = { Ref: stack.getLogicalId(fn.function.node.defaultChild as never) };
    const queueName = {
      'Fn::GetAtt': [stack.getLogicalId(fn.failureQueue.node.defaultChild as never), 'QueueName'],
    };
    const common = {
      Period: 300,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    };
    const onFunction = [{ Name: 'FunctionName', Value: functionRef }];
    expect(alarmsOf(stack)).toEqual([
      expect.objectContaining({
        ...common,
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Threshold: 3,
        Dimensions: onFunction,
      }),
      expect.objectContaining({
        ...common,
        Namespace: 'AWS/Lambda',
        MetricName: 'Throttles',
        Statistic: 'Sum',
        Threshold: 1,
        Dimensions: onFunction,
      }),
      expect.objectContaining({
        ...common,
        Namespace: 'AWS/Lambda',
        MetricName: 'AsyncEventsDropped',
        Statistic: 'Sum',
        Threshold: 1,
        Dimensions: onFunction,
      }),
      expect.objectContaining({
        ...common,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Statistic: 'Maximum',
        Threshold: 1,
        Dimensions: [{ Name: 'QueueName', Value: queueName }],
      }),
      // Baton's own metrics: the job's name is known for a ready-made handler.
      ...['RunsFailed', 'RunsAbandoned'].map((MetricName) =>
        expect.objectContaining({
          ...common,
          Namespace: 'Baton',
          MetricName,
          Statistic: 'Sum',
          Threshold: 1,
          Dimensions: [
            { Name: 'JobName', Value: 'wait-for-http' },
            ...onFunction.map(({ Value }) => ({ Name: 'ServiceName', Value })),
          ],
        }),
      ),
    ]);
    expect(fn.alarms?.alarms).toHaveLength(6);
  });

  it('creates the alarms without actions when no topic is given, and none when turned off', () => {
    const stack = testStack();
    const table = new BatonTable(stack, 'Runs');
    new BatonFunction(stack, 'Quiet', { table, handler: BatonHandler.waitForHttp() });
    const quiet = alarmsOf(stack);
    expect(quiet).toHaveLength(6);
    expect(quiet.every((a) => a.AlarmActions === undefined)).toBe(true);

    const other = testStack();
    const otherTable = new BatonTable(other, 'Runs');
    const off = new BatonFunction(other, 'Off', {
      table: otherTable,
      handler: BatonHandler.waitForHttp(),
      alarms: false,
    });
    expect(alarmsOf(other)).toHaveLength(0);
    expect(off.alarms).toBeUndefined();
  });

  it('takes the errors, runs failed and runs abandoned thresholds', () => {
    const stack = testStack();
    const table = new BatonTable(stack, 'Runs');
    new BatonFunction(stack, 'Check', {
      table,
      handler: BatonHandler.waitForHttp(),
      alarms: { errorsThreshold: 10, runsFailedThreshold: 3, runsAbandonedThreshold: 2 },
    });
    const threshold = (name: string) =>
      alarmsOf(stack).find((a) => a.MetricName === name)?.Threshold;
    expect(threshold('Errors')).toBe(10);
    expect(threshold('RunsFailed')).toBe(3);
    expect(threshold('RunsAbandoned')).toBe(2);
  });
});
