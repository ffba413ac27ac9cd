// `pnpm --filter @baton/bench latency`: only the per-invocation latency comparison
// (section 2 of BENCHMARKS.md), printed, for a side-by-side run in a few minutes;
// `pnpm bench` measures it with everything else and writes the section. The section
// goes to stderr: stdout carries Baton's metric lines (EMF), as it would in Lambda.
import os from 'node:os';
import { startBenchEnv } from './bench-env.js';
import { readConfig } from './config.js';
import { measureLatency } from './latency.js';
import { renderLatency } from './report.js';

const config = readConfig();
const env = await startBenchEnv(config);
try {
  const loadAverageStart = os.loadavg()[0] ?? 0;
  const latency = await measureLatency(env);
  const out: string[] = [];
  renderLatency(out, { latency, command: 'pnpm --filter @baton/bench latency' });
  process.stderr.write(
    `${out.join('\n')}\n\nLoad average ${loadAverageStart.toFixed(2)} at the start, ${(os.loadavg()[0] ?? 0).toFixed(2)} at the end.\n`,
  );
} finally {
  await env.stop();
}
