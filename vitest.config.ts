import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources, so tests never run
// against a stale build.
const source = (pkg: string) =>
  fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));
const alias = {
  '@baton/core': source('core'),
  '@baton/testing': source('testing'),
  '@baton/handlers': source('handlers'),
  '@baton/cli': source('cli'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    globalSetup: ['./vitest.global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'core', include: ['packages/core/tests/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'testing', include: ['packages/testing/tests/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'handlers', include: ['packages/handlers/tests/**/*.test.ts'] },
      },
      { extends: true, test: { name: 'cli', include: ['packages/cli/tests/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['integration/tests/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
