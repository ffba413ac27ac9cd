// `pnpm --filter @baton/bench observability`: only the overhead of metrics and tracing
// (section 5 of BENCHMARKS.md), printed, for a side-by-side run in a few minutes;
// `pnpm bench` measures it with everything else and writes the section.
import os from 'node:os';
import { startBenchEnv } from './bench-env.js';
import { readConfig } from './config.js';
import { measureObservability } from './observability.js';
import { renderObservability } from './observability-report.js';

const config = readConfig();
const env = await startBenchEnv(config);
try {
  const loadAverageStart = os.loadavg()[0] ?? 0;
  const result = await measureObservability(env);
  const out: string[] = [];
  renderObservability(out, result, 'pnpm --filter @baton/bench observability');
  process.stdout.write(
    `${out.join('\n')}\n\nLoad average ${loadAverageStart.toFixed(2)} at the start, ${(os.loadavg()[0] ?? 0).toFixed(2)} at the end.\n`,
  );
} finally {
  await env.stop();
}
