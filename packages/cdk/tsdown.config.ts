import { defineConfig } from 'tsdown';
import { dualBuild } from '../../tsdown.shared.ts';

export default defineConfig(dualBuild(['src/index.ts']));
