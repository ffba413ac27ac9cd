import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TTL_ATTRIBUTE, tableDefinition } from '../src/index.js';

// The root README's CloudFormation snippet must create the table
// `createTable` creates: same keys, same index, same TTL attribute.
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const snippet = /```yaml\n# CloudFormation\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

describe("the README's CloudFormation table", () => {
  const table = tableDefinition('baton-runs');

  it('has the attribute definitions and keys of tableDefinition', () => {
    expect(snippet).not.toBe('');
    for (const { AttributeName, AttributeType } of table.AttributeDefinitions ?? []) {
      expect(snippet).toContain(
        `- { AttributeName: ${AttributeName}, AttributeType: ${AttributeType} }`,
      );
    }
    expect(snippet.match(/AttributeType:/g)).toHaveLength(table.AttributeDefinitions?.length ?? -1);
    for (const { AttributeName, KeyType } of table.KeySchema ?? []) {
      expect(snippet).toContain(`- { AttributeName: ${AttributeName}, KeyType: ${KeyType} }`);
    }
    expect(snippet).toContain(`BillingMode: ${table.BillingMode}`);
    expect(snippet).toContain(
      `TimeToLiveSpecification: { AttributeName: ${TTL_ATTRIBUTE}, Enabled: true }`,
    );
  });

  it('has the runs-by-status index with its keys and projection', () => {
    const [index] = table.GlobalSecondaryIndexes ?? [];
    expect(index).toBeDefined();
    const section = snippet.slice(snippet.indexOf('GlobalSecondaryIndexes:'));
    expect(section).toContain(`- IndexName: ${index?.IndexName}`);
    for (const { AttributeName, KeyType } of index?.KeySchema ?? []) {
      expect(section).toContain(`- { AttributeName: ${AttributeName}, KeyType: ${KeyType} }`);
    }
    expect(section).toContain(
      `Projection: { ProjectionType: ${index?.Projection?.ProjectionType}, NonKeyAttributes: [${index?.Projection?.NonKeyAttributes?.join(', ')}] }`,
    );
  });
});
