import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { BatonTable } from '../src/index.js';
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
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: false,
    });
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
