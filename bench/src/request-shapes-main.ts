// `pnpm --filter @baton/bench request-shapes`: only what DynamoDB Local
// charges for a request's shape (part of section 2 of BENCHMARKS.md),
// printed, in a minute; `pnpm bench` measures it with everything else.
import { measureRequestShapes } from './request-shapes.js';
import { renderRequestShapes } from './request-shapes-report.js';
import { runSectionAlone } from './section-alone.js';

await runSectionAlone({
  measure: measureRequestShapes,
  render: (out, shapes) =>
    renderRequestShapes(out, shapes, 'pnpm --filter @baton/bench request-shapes'),
  to: process.stdout,
});
