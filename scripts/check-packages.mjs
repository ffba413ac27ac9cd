// Checks what each published package would put on npm: packs it with pnpm
// (as `pnpm publish` does), runs Are the Types Wrong on the tarball (ESM and
// CommonJS under node10, node16 and bundler resolution), and checks the
// packed manifest and files. Build first. Exit 1 on any problem.
// Usage: pnpm check:packages
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { packAll, ROOT } from './published-packages.mjs';

const exec = promisify(execFile);
const attwPackage = createRequire(import.meta.url).resolve('@arethetypeswrong/cli/package.json');
const attw = join(dirname(attwPackage), 'dist', 'index.js');
const work = await mkdtemp(join(tmpdir(), 'baton-pack-'));
const problems = [];

try {
  const license = await readFile(join(ROOT, 'LICENSE'), 'utf8');
  for (const pkg of await packAll(work)) {
    const { stdout: listing } = await exec('tar', ['-xzOf', pkg.tarball, 'package/package.json']);
    const manifest = JSON.parse(listing);
    const { stdout: files } = await exec('tar', ['-tzf', pkg.tarball]);
    problems.push(...manifestProblems(pkg.name, manifest, files.split('\n')));
    const { stdout: packedLicense } = await exec('tar', [
      '-xzOf',
      pkg.tarball,
      'package/LICENSE',
    ]).catch(() => ({ stdout: '' }));
    if (packedLicense !== license) problems.push(`${pkg.name}: LICENSE differs from the root's`);

    const result = await exec(
      process.execPath,
      [attw, pkg.tarball, '--format', 'table', '--no-color'],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((err) => ({ ...err, failed: true }));
    process.stdout.write(result.stdout);
    if (result.failed) problems.push(`${pkg.name}: attw found problems`);
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(
    `\npackage check failed:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
  );
  process.exitCode = 1;
} else {
  console.log('\npackage check: every published package is fine');
}

/** What is wrong with a packed manifest, per the layout in CONTRIBUTING.md. */
function manifestProblems(name, manifest, files) {
  const found = [];
  const text = JSON.stringify(manifest);
  if (text.includes('"source"'))
    found.push(`${name}: the packed exports carry a "source" condition`);
  if (text.includes('workspace:')) found.push(`${name}: a workspace: range was left in`);
  if (manifest.publishConfig?.access !== 'public')
    found.push(`${name}: publishConfig.access is not public`);
  for (const field of [
    'main',
    'types',
    'repository',
    'homepage',
    'keywords',
    'license',
    'sideEffects',
  ]) {
    if (manifest[field] === undefined) found.push(`${name}: no "${field}"`);
  }
  for (const target of [manifest.main, manifest.types, ...Object.values(manifest.bin ?? {})]) {
    if (target !== undefined && !files.includes(`package/${target.replace(/^\.\//, '')}`)) {
      found.push(`${name}: ${target} is not in the tarball`);
    }
  }
  if (files.some((file) => file.startsWith('package/src/'))) found.push(`${name}: src/ is packed`);
  return found;
}
