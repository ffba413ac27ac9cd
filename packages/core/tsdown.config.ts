import { defineConfig } from 'tsdown';
import { dualBuild } from '../../tsdown.shared.ts';

// p-retry is ESM only: required from the CommonJS build its default export
// would be lost, so both builds carry their own copy (with is-network-error).
// Bundled into one file per format, so that no copy lands under a
// `node_modules` directory, which npm leaves out of a tarball.
const bundled = ['p-retry', 'is-network-error'];

export default defineConfig(
  dualBuild(['src/index.ts'], {
    unbundle: false,
    deps: { alwaysBundle: bundled, onlyBundle: bundled },
  }),
);
