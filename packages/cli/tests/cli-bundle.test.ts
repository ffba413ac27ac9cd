import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { baton } from './cli-harness.js';

// `baton bundle` builds a user's own job the way the ready-made handlers are
// built: the same esbuild options, the same zip.

const repo = fileURLToPath(new URL('../../../', import.meta.url));

describe('baton bundle', () => {
  it("zips the README's example job into one ESM file whose handler loads", async () => {
    const out = await mkdtemp(join(tmpdir(), 'baton-bundle-'));
    const entry = join(repo, 'examples', 'wait-for-version.ts');
    const built = await baton(['bundle', entry, '--out-dir', out]);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    expect(built.stdout).toContain(`${join(out, 'wait-for-version', 'index.mjs')} `);
    expect(built.stdout).toContain('Lambda handler setting: index.handler');
    const zip = unzipSync(await readFile(join(out, 'wait-for-version.zip')));
    expect(Object.keys(zip)).toEqual(['index.mjs']);
    const module = (await import(
      pathToFileURL(join(out, 'wait-for-version', 'index.mjs')).href
    )) as {
      handler?: unknown;
    };
    expect(typeof module.handler).toBe('function');
  });

  it("gives the same bytes as the ready-made handlers' own bundle script for the same entry", async () => {
    const shipped = join(repo, 'packages', 'handlers', 'dist', 'bundle', 'wait-for-http.zip');
    if (!existsSync(shipped)) throw new Error(`${shipped} is missing: run 'pnpm build' first`);
    const out = await mkdtemp(join(tmpdir(), 'baton-bundle-'));
    const entry = join(repo, 'packages', 'handlers', 'src', 'lambda', 'wait-for-http.ts');
    const built = await baton(['bundle', entry, '--out-dir', out]);
    expect(built.code).toBe(0);
    const ours = await readFile(join(out, 'wait-for-http.zip'));
    expect(Buffer.compare(ours, await readFile(shipped))).toBe(0);
  });

  it('fails with 1 for a module without the handler export, and for a build error', async () => {
    const out = await mkdtemp(join(tmpdir(), 'baton-bundle-'));
    const entry = join(repo, 'examples', 'wait-for-version.ts');
    const noExport = await baton(['bundle', entry, '--out-dir', out, '--export', 'main']);
    expect(noExport.code).toBe(1);
    expect(noExport.stderr).toContain("exports no 'main'");
    const missing = await baton(['bundle', join(out, 'nowhere.ts'), '--out-dir', out]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('bundling');
    expect(missing.stderr).toContain('failed');
  });
});
