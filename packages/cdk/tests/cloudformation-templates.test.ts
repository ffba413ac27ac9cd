import { describe, expect, it } from 'vitest';
import { ReadyMadeHandler, readyMadeTemplate } from '../src/index.js';

// The checked-in templates are file snapshots: CI fails when one is not
// current; `pnpm vitest run --project cdk -u` rewrites them.
describe('the CloudFormation template of each ready-made handler', () => {
  for (const name of Object.values(ReadyMadeHandler)) {
    it(`${name}: templates/${name}.template.json is current`, async () => {
      const template = readyMadeTemplate(name);
      const parameters = template.Parameters as Record<string, { Type: string }>;
      expect(Object.keys(parameters).sort()).toEqual(['CodeBucket', 'CodeKey']);
      await expect(`${JSON.stringify(template, null, 2)}\n`).toMatchFileSnapshot(
        `../templates/${name}.template.json`,
      );
    });
  }
});
