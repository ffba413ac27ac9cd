import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = new URL('../scripts/bundle.mjs', import.meta.url);
let outDir: string;
let output: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'baton-bundle-'));
  const { stdout } = await promisify(execFile)(process.execPath, [
    script.pathname,
    '--out-dir',
    outDir,
  ]);
  output = stdout;
}, 120_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('bundle script', () => {
  it.each(['wait-for-http', 'deploy-and-wait', 'sweep-runs'])(
    'builds %s as a zip holding index.mjs',
    async (name) => {
      expect(output).toMatch(
        new RegExp(`^${name}: .*index\\.mjs [\\d.]+ KiB, .*${name}\\.zip [\\d.]+ KiB$`, 'm'),
      );
      const zip = unzipSync(await readFile(join(outDir, `${name}.zip`)));
      expect(Object.keys(zip)).toEqual(['index.mjs']);
      const code = await readFile(join(outDir, name, 'index.mjs'));
      expect(Buffer.from(zip['index.mjs'] ?? new Uint8Array()).equals(code)).toBe(true);
    },
  );

  it.each(['wait-for-http', 'deploy-and-wait'])(
    '%s bundle loads on its own and exports the Lambda handler',
    async (name) => {
      const bundle = (await import(pathToFileURL(join(outDir, name, 'index.mjs')).href)) as {
        handler: (event: unknown, context: unknown) => Promise<unknown>;
      };
      expect(Object.keys(bundle)).toEqual(['handler']);
      // An event without a job id is rejected before anything is reported.
      await expect(
        bundle.handler({}, { getRemainingTimeInMillis: () => 10_000 }),
      ).rejects.toMatchObject({ name: 'InvalidEventError' });
    },
  );
});
