/**
 * The esbuild options of Baton's Lambda bundles: one minified ESM file for
 * Node.js 22+, dependencies (the AWS SDK too) included. The ready-made
 * handlers' bundles, `baton bundle` (a user's own job) and the cold-start
 * benchmark all build with these, so their sizes and behaviour compare.
 * Pass them to esbuild's `build()` with `entryPoints` and `outfile`.
 *
 * @example
 * ```ts
 * import { build } from 'esbuild';
 * await build({ entryPoints: ['src/my-job.ts'], outfile: 'dist/my-job/index.mjs', ...LAMBDA_BUNDLE_OPTIONS });
 * ```
 */
export const LAMBDA_BUNDLE_OPTIONS = Object.freeze({
  bundle: true,
  minify: true,
  format: 'esm' as const,
  platform: 'node' as const,
  target: 'node22',
  // Workspace packages are bundled from their TypeScript sources: no prior tsc build needed.
  conditions: ['source'],
  // Prefer the ESM builds of dependencies (AWS SDK): smaller after tree-shaking.
  mainFields: ['module', 'main'],
  // CommonJS dependencies call require() for Node built-ins; ESM has no require.
  banner: {
    js: "import { createRequire as __batonCreateRequire } from 'node:module'; const require = __batonCreateRequire(import.meta.url);",
  },
  legalComments: 'none' as const,
  logLevel: 'warning' as const,
});

/**
 * How the bundle file sits in a Lambda zip: maximum compression, a fixed
 * time (an unchanged function zips to the same bytes, so deploy tools do
 * not see a change) and Unix `rw-r--r--` (Lambda must read it whatever the
 * builder's umask). The options of an fflate `zipSync` entry.
 *
 * @example
 * ```ts
 * zipSync({ 'index.mjs': [code, { ...LAMBDA_ZIP_ENTRY_OPTIONS }] });
 * ```
 */
export const LAMBDA_ZIP_ENTRY_OPTIONS = {
  level: 9,
  mtime: new Date('2000-01-01T00:00:00Z'),
  os: 3,
  attrs: 0o644 << 16,
} as const;

/** The file a Lambda zip holds: its handler setting is `index.<export>`. */
export const LAMBDA_BUNDLE_FILE = 'index.mjs';
