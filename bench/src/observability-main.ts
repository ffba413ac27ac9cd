// `pnpm --filter @baton/bench observability`: only the overhead of metrics and tracing
// (section 5 of BENCHMARKS.md), printed, for a side-by-side run in a few minutes;
// `pnpm bench` measures it with everything else and writes the section.
import { measureObservability } from './observability.js';
import { renderObservability } from './observability-report.js';
import { runSectionAlone } from './section-alone.js';

await runSectionAlone({
  measure: measureObservability,
  render: (out, result) =>
    renderObservability(out, result, 'pnpm --filter @baton/bench observability'),
  to: process.stdout,
});
