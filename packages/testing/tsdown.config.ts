import { defineConfig } from 'tsdown';
import { dualBuild } from '../../tsdown.shared.ts';

// The container entry runs in a worker or child process, loaded by its path.
export default defineConfig(dualBuild(['src/index.ts', 'src/emulator/container-entry.ts']));
