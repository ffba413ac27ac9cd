// Builds one minified single-file ESM bundle per Lambda entry and zips it:
//   dist/bundle/<name>/index.mjs  and  dist/bundle/<name>.zip  (handler: index.handler)
// Usage: pnpm --filter @baton/handlers bundle [--out-dir DIR] [name ...]
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { zipSync } from 'fflate';
// The built package (this script runs after tsdown): the same options `baton bundle` uses.
import {
  LAMBDA_BUNDLE_FILE,
  LAMBDA_BUNDLE_OPTIONS,
  LAMBDA_ZIP_ENTRY_OPTIONS,
} from '../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: options, positionals: wanted } = parseArgs({
  options: { 'out-dir': { type: 'string' } },
  allowPositionals: true,
});
const outRoot = options['out-dir'] ? resolve(options['out-dir']) : join(root, 'dist', 'bundle');

/** Bundle name → Lambda entry. */
const ENTRIES = {
  'wait-for-http': 'src/lambda/wait-for-http.ts',
  'deploy-and-wait': 'src/lambda/deploy-and-wait.ts',
  // Not a job: the scheduled sweep of the run table (BatonSweep of @baton/cdk).
  'sweep-runs': 'src/lambda/sweep-runs.ts',
};

const unknown = wanted.filter((name) => !(name in ENTRIES));
if (unknown.length > 0) {
  console.error(`unknown bundle ${unknown.join(', ')}; known: ${Object.keys(ENTRIES).join(', ')}`);
  process.exit(1);
}

for (const [name, entry] of Object.entries(ENTRIES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const outDir = join(outRoot, name);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const outfile = join(outDir, LAMBDA_BUNDLE_FILE);
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    ...LAMBDA_BUNDLE_OPTIONS,
  });
  const code = await readFile(outfile);
  const zip = zipSync({ [LAMBDA_BUNDLE_FILE]: [code, { ...LAMBDA_ZIP_ENTRY_OPTIONS }] });
  const zipFile = join(outRoot, `${name}.zip`);
  await writeFile(zipFile, zip);
  console.log(
    `${name}: ${shown(outfile)} ${kib(code.length)}, ${shown(zipFile)} ${kib(zip.length)}`,
  );
}

function shown(path) {
  const inside = relative(root, path);
  return inside.startsWith('..') ? path : inside;
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
