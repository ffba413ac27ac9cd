/**
 * The root README's "Deploy" section shows this app's stack: this test keeps
 * the two identical (the synth test proves the file works).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const readmePath = fileURLToPath(new URL('../../../README.md', import.meta.url));
const stackPath = fileURLToPath(new URL('../src/pipeline-stack.ts', import.meta.url));

/** The first TypeScript block under the README heading `## Deploy`. */
function deployBlock(readme: string): string {
  const section = readme.split(/^## Deploy$/m)[1]?.split(/^## /m)[0];
  if (section === undefined) throw new Error('README.md has no "## Deploy" section');
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (block === undefined) throw new Error('"## Deploy" has no ```ts block');
  return block;
}

describe('the README Deploy section', () => {
  it('shows examples/cdk-pipeline/src/pipeline-stack.ts byte for byte', () => {
    expect(deployBlock(readFileSync(readmePath, 'utf8'))).toBe(readFileSync(stackPath, 'utf8'));
  });
});
