import type { BenchResults } from './report.js';
import { CLAIM_SHAPE, findShape, READ_SHAPE } from './request-shapes.js';
import { ms, ratio } from './stats.js';

/**
 * The paragraph on what is left of the warm gap to the Powertools peer and
 * what the levers measured in this run would take off it: the row without
 * the run-list index (section 2) and the read in place of the claim (the
 * request shapes), alone and added together.
 */
export function renderRemainingGap(out: string[], r: BenchResults): void {
  const v = r.latency.variants;
  const baton = v.baton;
  const powertools = v.powertools;
  const withoutIndex = v['baton-no-index'];
  const claimShape = findShape(r.requestShapes.shapes, CLAIM_SHAPE);
  const read = findShape(r.requestShapes.shapes, READ_SHAPE);
  if (!baton || !powertools || !withoutIndex || !claimShape || !read) return;
  const difference = (part: keyof typeof baton.breakdown) =>
    ms(baton.breakdown[part] - powertools.breakdown[part]);
  const indexSaving = baton.wall.p50 - withoutIndex.wall.p50;
  const readSaving = claimShape.p50Ms - read.p50Ms;
  const both = baton.wall.p50 - Math.max(0, indexSaving) - Math.max(0, readSaving);
  const reaches = both <= powertools.wall.p50;
  out.push(
    '**What is left of the gap to Powertools.** Both handlers send three requests on the critical path ' +
      "(Baton: claim, commit, report; Powertools: `PutItem`, report, `UpdateItem`). In this run Baton's " +
      `median invocation takes ${ms(baton.wall.p50 - powertools.wall.p50)} more than Powertools': ` +
      `DynamoDB ${difference('dynamoMs')}, CodePipeline ${difference('codePipelineMs')}, status poll ` +
      `${difference('pollMs')}, the rest (engine, the SDK's work on larger requests and answers, logging) ` +
      `${difference('otherMs')}. The levers measured here: the run-list index off Baton's table takes ` +
      `${ms(indexSaving)} off the median (wall p50 / Powertools ${ratio(withoutIndex.wall.p50, powertools.wall.p50)}); ` +
      'a strongly consistent read in place of the claim, for steps safe to run twice (the request shapes ' +
      `above), ${ms(readSaving)} less than the claim's shape of write; both, estimated by adding the two, ` +
      `${ratio(both, powertools.wall.p50)}. ` +
      (reaches
        ? "By that estimate, together they would bring wall p50 to Powertools'."
        : "By that estimate, not even both together bring wall p50 to Powertools': what remains is the " +
          'run item itself (state, progress, outcome, pending history and lease, which the claim returns and the ' +
          "commit writes), against a record of a few attributes, and Baton's own work per invocation."),
    '',
  );
}
