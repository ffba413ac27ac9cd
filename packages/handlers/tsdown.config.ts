import { defineConfig } from 'tsdown';
import { dualBuild } from '../../tsdown.shared.ts';

// One entry per package export: the library and each job's Lambda entry.
export default defineConfig(
  dualBuild(['src/index.ts', 'src/wait-for-http.ts', 'src/deploy-and-wait.ts']),
);
