// `pnpm --filter @baton/bench latency`: only the per-invocation latency comparison
// (section 2 of BENCHMARKS.md), printed, for a side-by-side run in a few minutes;
// `pnpm bench` measures it with everything else and writes the section. The section
// goes to stderr: stdout carries Baton's metric lines (EMF), as it would in Lambda.
import { measureLatency } from './latency.js';
import { renderLatency } from './report.js';
import { runSectionAlone } from './section-alone.js';

await runSectionAlone({
  measure: measureLatency,
  render: (out, latency) =>
    renderLatency(out, { latency, command: 'pnpm --filter @baton/bench latency' }),
  to: process.stderr,
});
