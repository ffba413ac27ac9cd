import type { UserConfig } from 'tsdown';

/**
 * The build every published Baton package shares: ESM (`.js`, `.d.ts`) and
 * CommonJS (`.cjs`, `.d.cts`) side by side in `dist/`, one output file per
 * source file so that paths computed at run time (worker entries, Lambda
 * entries) stay where they were. Dependencies stay external.
 */
export function dualBuild(entry: string[], options: Partial<UserConfig> = {}): UserConfig {
  return {
    entry,
    format: ['esm', 'cjs'],
    platform: 'node',
    target: 'node22',
    unbundle: true,
    // `.js` for ESM in these `"type": "module"` packages, `.cjs` for CommonJS.
    fixedExtension: false,
    dts: true,
    sourcemap: false,
    clean: true,
    // The packages import their dependencies only; a bundled one is a mistake.
    deps: { onlyBundle: [] },
    ...options,
  };
}
