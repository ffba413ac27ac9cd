/**
 * The copyable tests of packages/testing/README.md are files the suite runs:
 * each block of these sections is its file, byte for byte, in order.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The `ts` blocks of the README section under `heading`, in order. */
function sectionBlocks(heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start === -1) throw new Error(`README.md has no "${heading}" section`);
  const end = readme.indexOf('\n## ', start + heading.length + 2);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
}

const file = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('packages/testing/README.md', () => {
  it.each([
    [
      '## A copyable test for a Baton job',
      ['./fixtures/rollout-job.ts', './readme-baton-job.test.ts'],
    ],
    [
      '## A test for any CodePipeline Lambda handler',
      ['./fixtures/hello-handler.ts', './emulator-readme-example.test.ts'],
    ],
  ])('"%s" shows %j byte for byte', (heading, paths) => {
    expect(sectionBlocks(heading)).toEqual(paths.map(file));
  });
});
