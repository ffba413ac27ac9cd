// esbuild options of Baton's Lambda bundles; the benchmark bundles with the
// same options so that its sizes compare.
export const BUNDLE_OPTIONS = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Workspace packages are bundled from their TypeScript sources: no prior tsc build needed.
  conditions: ['source'],
  // Prefer the ESM builds of dependencies (AWS SDK): smaller after tree-shaking.
  mainFields: ['module', 'main'],
  // CommonJS dependencies call require() for Node built-ins; ESM has no require.
  banner: {
    js: "import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
};
