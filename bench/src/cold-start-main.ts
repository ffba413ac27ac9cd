// `pnpm --filter @baton/bench cold-start`: only the cold-start comparison
// (section 3 of BENCHMARKS.md), printed on stderr, for a side-by-side run in a
// minute or two; `BENCH_COLD_START_RUNS` sets the fresh processes per bundle
// (default 15) and `BENCH_BASELINE_DIR` adds the polling action built from
// another checkout. `pnpm bench` measures it with everything else and writes
// the section.
import os from 'node:os';
import { startBenchEnv } from './bench-env.js';
import { measureColdStart } from './cold-start.js';
import { readConfig } from './config.js';
import { renderColdStart } from './report.js';

const config = readConfig();
const env = await startBenchEnv(config);
try {
  const loadAverageStart = os.loadavg()[0] ?? 0;
  const coldStart = await measureColdStart(env);
  const out: string[] = [];
  renderColdStart(out, { coldStart, command: 'pnpm --filter @baton/bench cold-start' });
  process.stderr.write(
    `${out.join('\n')}\n\nLoad average ${loadAverageStart.toFixed(2)} at the start, ${(os.loadavg()[0] ?? 0).toFixed(2)} at the end.\n`,
  );
} finally {
  await env.stop();
}
