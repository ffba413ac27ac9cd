import { defineConfig } from 'tsdown';
import { dualBuild } from '../../tsdown.shared.ts';

// The library, and the two executables (`bin` points at their ESM builds).
export default defineConfig(dualBuild(['src/index.ts', 'src/main.ts', 'src/demo/main.ts']));
