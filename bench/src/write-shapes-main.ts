// `pnpm --filter @baton/bench write-shapes`: only what DynamoDB Local charges
// for a write's shape (part of section 2 of BENCHMARKS.md), printed, in a
// minute; `pnpm bench` measures it with everything else.
import { runSectionAlone } from './section-alone.js';
import { measureWriteShapes } from './write-shapes.js';
import { renderWriteShapes } from './write-shapes-report.js';

await runSectionAlone({
  measure: measureWriteShapes,
  render: (out, shapes) =>
    renderWriteShapes(out, shapes, 'pnpm --filter @baton/bench write-shapes'),
  to: process.stdout,
});
