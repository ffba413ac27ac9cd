// `pnpm --filter @baton/bench cold-start`: only the cold-start comparison
// (section 3 of BENCHMARKS.md), printed on stderr, for a side-by-side run in a
// minute or two; `BENCH_COLD_START_RUNS` sets the fresh processes per bundle
// (default 15) and `BENCH_BASELINE_DIR` adds the polling action built from
// another checkout. `pnpm bench` measures it with everything else and writes
// the section.
import { measureColdStart } from './cold-start.js';
import { renderColdStart } from './report.js';
import { runSectionAlone } from './section-alone.js';

await runSectionAlone({
  measure: measureColdStart,
  render: (out, coldStart) =>
    renderColdStart(out, { coldStart, command: 'pnpm --filter @baton/bench cold-start' }),
  to: process.stderr,
});
