import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readyMadeBundlePath } from '@baton/handlers';
import { Duration, type Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  BatonConstructError,
  BatonFunction,
  BatonHandler,
  BatonTable,
  ReadyMadeHandler,
} from '../src/index.js';
import { roleStatements } from './policy-statements.js';
import { codeAssetsOf, onlyResource, templateOf, testStack } from './test-stack.js';

const greetingEntry = fileURLToPath(new URL('./fixtures/greeting-job.ts', import.meta.url));

function waitForHttpStack() {
  const stack = testStack();
  const table = new BatonTable(stack, 'Runs');
  const fn = new BatonFunction(stack, 'Check', { table, handler: BatonHandler.waitForHttp() });
  return { stack, table, fn };
}

/** Logical id of a construct's CloudFormation resource. */
function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

describe('BatonFunction', () => {
  it('runs a ready-made handler on Node 24, arm64, with the settings Baton relies on', () => {
    const { stack, table, fn } = waitForHttpStack();
    const template = templateOf(stack);
    const { properties } = onlyResource(template, 'AWS::Lambda::Function');
    const tableId = logicalId(stack, table.table);
    const logGroupId = logicalId(stack, fn.logGroup);
    expect(properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 300,
      MemorySize: 512,
      Environment: { Variables: { BATON_TABLE_NAME: { Ref: tableId } } },
      LoggingConfig: {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        SystemLogLevel: 'WARN',
        LogGroup: { Ref: logGroupId },
      },
    });
    expect(onlyResource(template, 'AWS::Logs::LogGroup').properties).toEqual({
      RetentionInDays: 30,
    });
  });

  it('uploads the bundle @baton/handlers built, byte for byte: nothing is bundled at synth', () => {
    const { stack } = waitForHttpStack();
    const assets = codeAssetsOf(stack);
    expect(assets).toHaveLength(1);
    const [asset] = assets;
    expect(asset?.packaging).toBe('file');
    const uploaded = readFileSync(asset!.path);
    expect(uploaded.equals(readFileSync(readyMadeBundlePath(ReadyMadeHandler.WaitForHttp)))).toBe(
      true,
    );
  });

  it("bundles the user's entry with the local esbuild (there is no Docker here)", () => {
    const stack = testStack();
    const table = new BatonTable(stack, 'Runs');
    new BatonFunction(stack, 'Own', {
      table,
      handler: BatonHandler.fromEntry(greetingEntry),
      runtime: lambda.Runtime.NODEJS_22_X,
    });
    const template = templateOf(stack);
    expect(onlyResource(template, 'AWS::Lambda::Function').properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
    });
    const [asset] = codeAssetsOf(stack);
    expect(asset?.packaging).toBe('zip');
    const code = readFileSync(join(asset!.path, 'index.mjs'), 'utf8');
    expect(code).toContain('hello from a bundled Baton entry');
    expect(code).toContain('createRequire');
  });

  it('retries async events twice, with a maximum age and an on-failure queue', () => {
    const { stack, fn } = waitForHttpStack();
    const template = templateOf(stack);
    const queueId = logicalId(stack, fn.failureQueue as never);
    const functionId = logicalId(stack, fn.function);
    expect(onlyResource(template, 'AWS::Lambda::EventInvokeConfig').properties).toEqual({
      FunctionName: { Ref: functionId },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 1800,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      },
    });
    expect(onlyResource(template, 'AWS::SQS::Queue').properties).toEqual({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
  });

  it('grants exactly what Baton calls, on this table only, and nothing else', () => {
    const { stack, table, fn } = waitForHttpStack();
    const template = templateOf(stack);
    const roleId = logicalId(stack, fn.role);
    const role = onlyResource(template, 'AWS::IAM::Role').properties;
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
        },
      ],
    });
    const queueArn = { 'Fn::GetAtt': [logicalId(stack, fn.failureQueue as never), 'Arn'] };
    expect(roleStatements(template, roleId)).toEqual([
      {
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalId(stack, fn.logGroup), 'Arn'] },
      },
      {
        Sid: 'BatonRunStore',
        Action: ['dynamodb:UpdateItem', 'dynamodb:PutItem'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalId(stack, table.table), 'Arn'] },
      },
      {
        Action: ['codepipeline:PutJobSuccessResult', 'codepipeline:PutJobFailureResult'],
        Effect: 'Allow',
        Resource: '*',
      },
      {
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Effect: 'Allow',
        Resource: queueArn,
      },
    ]);
  });

  it('may use the table key and decrypt with the artifact key when they are given', () => {
    const stack = testStack();
    const tableKey = new kms.Key(stack, 'TableKey', { enableKeyRotation: true });
    const artifactKey = new kms.Key(stack, 'ArtifactKey', { enableKeyRotation: true });
    const table = new BatonTable(stack, 'Runs', { encryptionKey: tableKey });
    const fn = new BatonFunction(stack, 'Check', {
      table,
      handler: BatonHandler.waitForHttp(),
      artifactKey,
    });
    const template = templateOf(stack);
    const kmsStatements = roleStatements(template, logicalId(stack, fn.role)).filter((s) =>
      JSON.stringify(s.Action).includes('kms:'),
    );
    expect(kmsStatements).toEqual([
      {
        Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalId(stack, tableKey), 'Arn'] },
      },
      {
        Action: 'kms:Decrypt',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [logicalId(stack, artifactKey), 'Arn'] },
      },
    ]);
  });

  it('takes its settings: timeout, memory, retention, event age, level, environment', () => {
    const stack = testStack();
    const table = new BatonTable(stack, 'Runs');
    new BatonFunction(stack, 'Deploy', {
      table,
      handler: BatonHandler.deployAndWait(),
      timeout: Duration.minutes(2),
      memorySize: 256,
      maxEventAge: Duration.hours(1),
      logLevel: lambda.ApplicationLogLevel.DEBUG,
      environment: { TEAM: 'payments' },
      alarms: false,
    });
    const template = templateOf(stack);
    expect(onlyResource(template, 'AWS::Lambda::Function').properties).toMatchObject({
      Timeout: 120,
      MemorySize: 256,
      Environment: { Variables: { TEAM: 'payments' } },
      LoggingConfig: { ApplicationLogLevel: 'DEBUG' },
    });
    expect(onlyResource(template, 'AWS::Lambda::EventInvokeConfig').properties).toMatchObject({
      MaximumEventAgeInSeconds: 3600,
      MaximumRetryAttempts: 2,
    });
  });

  it('refuses a runtime other than Node 22 or 24, naming both', () => {
    const stack = testStack();
    const table = new BatonTable(stack, 'Runs');
    expect(
      () =>
        new BatonFunction(stack, 'Old', {
          table,
          handler: BatonHandler.waitForHttp(),
          runtime: lambda.Runtime.NODEJS_20_X,
        }),
    ).toThrow(
      new BatonConstructError(
        'Test/Old: runtime nodejs20.x is not supported; use nodejs22.x or nodejs24.x',
      ),
    );
  });
});
