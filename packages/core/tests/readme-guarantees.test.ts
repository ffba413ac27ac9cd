import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README's guarantees name the tests that show them: every file named
// exists, and every test named (in italics) is a test of a file of its row.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = join(packageDir, '..', '..');
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');
const section = readme.slice(
  readme.indexOf('### How an invocation ends'),
  readme.indexOf('## Logging'),
);
const rows = section
  .split('\n')
  .filter((line) => /^\| .* \| .* \|$/.test(line))
  .slice(2);

/** A path as the README gives it: from the package, or from the repository. */
function resolve(path: string): string | undefined {
  return [join(packageDir, path), join(repoDir, path)].find((candidate) => existsSync(candidate));
}

/** The edge suite: every test file of its directory. */
const EDGE_SUITE_DIR = 'integration/tests/never-hang';
const EDGE_SUITE = readdirSync(join(repoDir, EDGE_SUITE_DIR))
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => `${EDGE_SUITE_DIR}/${file}`);

describe("the README's guarantees", () => {
  it('has a row per guarantee', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
  });

  it.each(rows.map((row) => [row.slice(2, 60), row] as const))(
    '%s… names tests that exist',
    (_, row) => {
      const shownBy = row.split(' | ').at(-1) ?? '';
      const files = [...shownBy.matchAll(/`([\w./-]+\.test\.ts|[\w./-]+\.ts)`/g)].map(
        (m) => m[1] ?? '',
      );
      if (shownBy.includes('edge suite')) files.push(...EDGE_SUITE);
      expect(files.length).toBeGreaterThan(0);
      const texts = files.map((file) => {
        const found = resolve(file);
        expect(found, `${file} exists`).toBeDefined();
        return found ? readFileSync(found, 'utf8') : '';
      });
      for (const [, name] of shownBy.matchAll(/\*([^*]+)\*/g)) {
        // Test names are written in code as they read, quotes escaped or not.
        const plain = (name ?? '').replace(/ \(`.*`\)$/, '');
        const inSomeFile = texts.some((text) => text.replace(/\\'/g, "'").includes(plain));
        expect(inSomeFile, `a test named "${plain}"`).toBe(true);
      }
    },
  );
});
