import { readFileSync } from 'node:fs';
import { sweepBundlePath } from '@baton/handlers';
import { Duration, type Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import {
  BatonConstructError,
  BatonFunction,
  BatonHandler,
  BatonSweep,
  BatonTable,
} from '../src/index.js';
import { nagViolations } from './nag-report.js';
import { roleStatements } from './policy-statements.js';
import { codeAssetsOf, onlyResource, templateOf, testStack } from './test-stack.js';

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

function sweepStack(props: Partial<ConstructorParameters<typeof BatonSweep>[2]> = {}) {
  const stack = testStack();
  const table = new BatonTable(stack, 'Runs');
  const sweep = new BatonSweep(stack, 'Sweep', { table, ...props });
  return { stack, table, sweep };
}

describe('BatonSweep', () => {
  it('runs the prebuilt sweep-runs bundle on Node 24 with the table and namespace set', () => {
    const { stack, table, sweep } = sweepStack();
    const template = templateOf(stack);
    expect(onlyResource(template, 'AWS::Lambda::Function').properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 120,
      Environment: {
        Variables: {
          BATON_TABLE_NAME: { Ref: logicalId(stack, table.table) },
          BATON_METRICS_NAMESPACE: 'Baton',
        },
      },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logicalId(stack, sweep.logGroup) } },
    });
    const [asset] = codeAssetsOf(stack);
    expect(readFileSync(asset!.path).equals(readFileSync(sweepBundlePath()))).toBe(true);
  });

  it('is invoked by an EventBridge rule every 15 minutes, or at the interval given', () => {
    const { stack, sweep } = sweepStack();
    const rule = onlyResource(templateOf(stack), 'AWS::Events::Rule').properties;
    expect(rule.ScheduleExpression).toBe('rate(15 minutes)');
    expect(rule.State).toBe('ENABLED');
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [logicalId(stack, sweep.function), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0 },
      }),
    ]);
    const permission = onlyResource(templateOf(stack), 'AWS::Lambda::Permission').properties;
    expect(permission).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [onlyResource(templateOf(stack), 'AWS::Events::Rule').id, 'Arn'] },
    });

    const hourly = sweepStack({ interval: Duration.hours(1) });
    expect(
      onlyResource(templateOf(hourly.stack), 'AWS::Events::Rule').properties.ScheduleExpression,
    ).toBe('rate(1 hour)');
    expect(() => sweepStack({ interval: Duration.seconds(30) })).toThrow(BatonConstructError);
    expect(() => sweepStack({ interval: Duration.seconds(30) })).toThrow(
      'Test/Sweep: interval must be whole minutes from 1 minute to 1 day, not 30 seconds',
    );
  });

  it('may Query the runs-by-status index and BatchGetItem/UpdateItem the table, nothing more', () => {
    const { stack, table, sweep } = sweepStack();
    const template = templateOf(stack);
    const tableArn = { 'Fn::GetAtt': [logicalId(stack, table.table), 'Arn'] };
    const statements = roleStatements(template, logicalId(stack, sweep.role));
    expect(statements).toEqual([
      expect.objectContaining({
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logicalId(stack, sweep.logGroup), 'Arn'] },
      }),
      {
        Sid: 'BatonSweepRunningRuns',
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: { 'Fn::Join': ['', [tableArn, '/index/runs-by-status']] },
      },
      {
        Sid: 'BatonSweepMarkRuns',
        Effect: 'Allow',
        Action: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
        Resource: tableArn,
      },
    ]);
    const role = onlyResource(template, 'AWS::IAM::Role').properties;
    expect(role.ManagedPolicyArns).toBeUndefined();
  });

  it("may use the table's customer-managed key", () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const table = new BatonTable(stack, 'Runs', { encryptionKey: key });
    const sweep = new BatonSweep(stack, 'Sweep', { table });
    const statements = roleStatements(templateOf(stack), logicalId(stack, sweep.role));
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt']),
        Resource: { 'Fn::GetAtt': [logicalId(stack, key), 'Arn'] },
      }),
    );
  });

  it('alarms on runs it marked abandoned and on its errors, notifying the topic', () => {
    const stack = testStack();
    const table = new BatonTable(stack, 'Runs');
    const topic = new sns.Topic(stack, 'Alerts');
    const sweep = new BatonSweep(stack, 'Sweep', {
      table,
      alarms: { topic },
      metricsNamespace: 'Deploys',
    });
    const alarms = Object.values(templateOf(stack).findResources('AWS::CloudWatch::Alarm')).map(
      (a) => (a as { Properties: Record<string, unknown> }).Properties,
    );
    const functionRef = { Ref: logicalId(stack, sweep.function) };
    const topicRef = { Ref: logicalId(stack, topic) };
    expect(alarms).toEqual([
      expect.objectContaining({
        Namespace: 'Deploys',
        MetricName: 'RunsAbandoned',
        Dimensions: [{ Name: 'ServiceName', Value: functionRef }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topicRef],
        OKActions: [topicRef],
      }),
      expect.objectContaining({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: functionRef }],
        Threshold: 1,
      }),
    ]);
    expect(sweep.alarms).toHaveLength(2);
    expect(sweepStack({ alarms: false }).sweep.alarms).toEqual([]);
  });

  it("passes cdk-nag's AwsSolutions rules", () => {
    const { stack } = sweepStack();
    expect(nagViolations(stack)).toEqual([]);
    // The same check does find things: a job's function needs `Resource: *` for CodePipeline.
    const jobStack = testStack();
    new BatonFunction(jobStack, 'Check', {
      table: new BatonTable(jobStack, 'Runs'),
      handler: BatonHandler.waitForHttp(),
    });
    expect(nagViolations(jobStack)).toContainEqual(
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::\*\]: /),
    );
  });
});
