// `pnpm release:dry`: what `pnpm release` would publish, without publishing:
// the pending version bumps (changesets), then each package packed as
// `pnpm publish` packs it, with its files and sizes. Build first.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packAll, ROOT } from './published-packages.mjs';

const exec = promisify(execFile);
const { stdout: status } = await exec(
  process.execPath,
  [join(ROOT, 'node_modules', '@changesets', 'cli', 'bin.js'), 'status', '--verbose'],
  { cwd: ROOT },
).catch((err) => ({ stdout: `${err.stdout ?? ''}${err.stderr ?? ''}` }));
console.log(status.trim());

const work = await mkdtemp(join(tmpdir(), 'baton-release-dry-'));
try {
  for (const pkg of await packAll(work)) {
    const { stdout } = await exec('tar', ['-tvzf', pkg.tarball]);
    const files = stdout.trim().split('\n');
    const { size } = await stat(pkg.tarball);
    console.log(`\n${pkg.name}@${pkg.version}: ${files.length} files, ${kib(size)} packed`);
    for (const line of files) {
      const parts = line.trim().split(/\s+/);
      console.log(
        `  ${kib(Number(parts[2])).padStart(10)}  ${parts.at(-1).replace(/^package\//, '')}`,
      );
    }
  }
  console.log('\nnothing was published (pnpm release publishes)');
} finally {
  await rm(work, { recursive: true, force: true });
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
