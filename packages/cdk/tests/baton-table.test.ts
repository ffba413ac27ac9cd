import { RUN_LIST_INDEX, tableDefinition } from '@baton/core';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { BATON_RUN_LIST_INDEX, BatonTable } from '../src/index.js';
import { onlyResource, templateOf, testStack } from './test-stack.js';

describe('BatonTable', () => {
  it('is the table the README describes, with PITR, retained', () => {
    const stack = testStack();
    new BatonTable(stack, 'Runs');
    const template = templateOf(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    const table = template.findResources('AWS::DynamoDB::Table');
    const [resource] = Object.values(table) as Array<Record<string, unknown>>;
    expect(resource?.DeletionPolicy).toBe('Retain');
    expect(resource?.UpdateReplacePolicy).toBe('Retain');
    expect(resource?.Properties).toEqual({
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'status', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'runs-by-status',
          KeySchema: [
            { AttributeName: 'status', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['jobName'] },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: false,
    });
  });

  it("has the same keys and index as @baton/core's createTable", () => {
    expect(BATON_RUN_LIST_INDEX).toEqual(RUN_LIST_INDEX);
    const stack = testStack();
    new BatonTable(stack, 'Runs');
    const { properties } = onlyResource(templateOf(stack), 'AWS::DynamoDB::Table');
    const core = tableDefinition('x');
    expect(properties.KeySchema).toEqual(core.KeySchema);
    expect(properties.AttributeDefinitions).toEqual(core.AttributeDefinitions);
    expect(properties.GlobalSecondaryIndexes).toEqual(core.GlobalSecondaryIndexes);
  });

  it('grantReadRuns allows Query on the table and its index and BatchGetItem on the table, nothing else', () => {
    const stack = testStack();
    const table = new BatonTable(stack, 'Runs');
    const operator = new iam.Role(stack, 'Operator', {
      assumedBy: new iam.AccountRootPrincipal(),
    });
    table.grantReadRuns(operator);
    const { id: tableId } = onlyResource(templateOf(stack), 'AWS::DynamoDB::Table');
    const { properties } = onlyResource(templateOf(stack), 'AWS::IAM::Policy');
    const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
    expect((properties.PolicyDocument as { Statement: unknown[] }).Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: [tableArn, { 'Fn::Join': ['', [tableArn, '/index/runs-by-status']] }],
      },
      { Effect: 'Allow', Action: 'dynamodb:BatchGetItem', Resource: tableArn },
    ]);
  });

  it('takes a customer-managed key, a name and a removal policy', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new BatonTable(stack, 'Runs', {
      tableName: 'baton-runs',
      encryptionKey: key,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const template = templateOf(stack);
    const { id: keyId } = onlyResource(template, 'AWS::KMS::Key');
    const { properties } = onlyResource(template, 'AWS::DynamoDB::Table');
    expect(properties.TableName).toBe('baton-runs');
    expect(properties.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    const [resource] = Object.values(template.findResources('AWS::DynamoDB::Table')) as Array<
      Record<string, unknown>
    >;
    expect(resource?.DeletionPolicy).toBe('Delete');
  });
});
