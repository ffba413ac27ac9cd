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
  '@baton/cdk': source('cdk'),
};

// One DynamoDB Local per run, started only for the projects that use it.
const globalSetup = ['./vitest.global-setup.ts'];
const dynamoDBTests = '**/dynamodb/**/*.test.ts';

// Handlers created with default options write one EMF metrics line per
// invocation to stdout, as in Lambda: about 1,450 lines a run, which buried
// the rest of the test log. Chunks of nothing else are dropped; the tests
// that check metrics read them from a sink of their own.
const onlyMetricLines = (log: string) =>
  log
    .split('\n')
    .filter((line) => line.trim() !== '')
    .every((line) => line.startsWith('{"_aws":'));

export default defineConfig({
  resolve: { alias },
  test: {
    // Test servers listen on loopback, which @baton/handlers refuses by default.
    env: { BATON_HTTP_ALLOW_LOOPBACK: '1' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    onConsoleLog: (log) => !onlyMetricLines(log),
    projects: [
      // Unit tests sit beside their modules in src/ (the bench's too) and need
      // no DynamoDB Local (the in-memory store stands in); adapters' tests next
      // to them do.
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'bench/src/**/*.test.ts'],
          exclude: ['**/node_modules/**', dynamoDBTests],
        },
      },
      {
        extends: true,
        test: {
          name: 'core',
          include: ['packages/core/tests/**/*.test.ts', `packages/core/src/${dynamoDBTests}`],
          globalSetup,
        },
      },
      {
        extends: true,
        test: { name: 'testing', include: ['packages/testing/tests/**/*.test.ts'], globalSetup },
      },
      {
        extends: true,
        test: { name: 'handlers', include: ['packages/handlers/tests/**/*.test.ts'], globalSetup },
      },
      {
        extends: true,
        test: { name: 'cli', include: ['packages/cli/tests/**/*.test.ts'], globalSetup },
      },
      {
        extends: true,
        test: {
          name: 'cdk',
          include: ['packages/cdk/tests/**/*.test.ts', 'examples/cdk-pipeline/tests/**/*.test.ts'],
          // A stack's first synth loads most of aws-cdk-lib: seconds of CPU.
          testTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // Jobs of your own in examples/<name>/ (docs/getting-started.md).
          name: 'examples',
          include: ['examples/*/tests/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'examples/cdk-pipeline/**'],
          globalSetup,
          // vitest's own defaults, not this config's: the guide's tests must pass
          // with the timeouts they set themselves, as in a project of your own.
          testTimeout: 5_000,
          hookTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          globalSetup,
          include: ['integration/tests/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
