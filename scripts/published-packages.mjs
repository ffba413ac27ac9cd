// The workspace packages that are published (packages/* not marked private),
// and how to pack them the way `pnpm publish` would.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `{ name, version, dir }` of every published package, in a stable order. */
export async function publishedPackages() {
  const packagesDir = join(ROOT, 'packages');
  const found = [];
  for (const entry of (await readdir(packagesDir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (!entry.isDirectory()) continue;
    const dir = join(packagesDir, entry.name);
    const manifest = JSON.parse(
      await readFile(join(dir, 'package.json'), 'utf8').catch(() => '{}'),
    );
    if (manifest.name === undefined || manifest.private === true) continue;
    found.push({ name: manifest.name, version: manifest.version, dir });
  }
  return found;
}

/**
 * Packs each published package into `destination` with `pnpm pack`, which
 * applies `publishConfig` (the published `exports`) and turns `workspace:`
 * ranges into versions, as `pnpm publish` does. Build first.
 * @returns `{ name, version, dir, tarball }` per package
 */
export async function packAll(destination) {
  const packed = [];
  for (const pkg of await publishedPackages()) {
    const { stdout } = await run('pnpm', ['pack', '--json', '--pack-destination', destination], {
      cwd: pkg.dir,
      maxBuffer: 64 * 1024 * 1024,
    });
    const { filename } = JSON.parse(stdout);
    packed.push({ ...pkg, tarball: filename });
  }
  return packed;
}
