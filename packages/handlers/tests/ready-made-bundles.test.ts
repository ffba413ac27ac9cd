import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BundleNotFoundError, ReadyMadeHandler, readyMadeBundlePath } from '../src/index.js';

const bundleDir = fileURLToPath(new URL('../dist/bundle/', import.meta.url));

describe('readyMadeBundlePath', () => {
  it("is each ready-made handler's zip in this package's dist/bundle", () => {
    for (const name of Object.values(ReadyMadeHandler)) {
      // The root build (`pnpm build`) writes the bundles.
      expect(readyMadeBundlePath(name)).toBe(`${bundleDir}${name}.zip`);
      expect(existsSync(readyMadeBundlePath(name))).toBe(true);
    }
  });

  it('names the known handlers when asked for another', () => {
    expect(() => readyMadeBundlePath('wait-for-ftp' as ReadyMadeHandler)).toThrow(
      new BundleNotFoundError(
        "unknown ready-made handler 'wait-for-ftp'; known: wait-for-http, deploy-and-wait",
      ),
    );
  });
});
