import { table } from './report.js';
import {
  CLAIM_SHAPE,
  findShape,
  READ_SHAPE,
  type RequestShape,
  type RequestShapesResult,
} from './request-shapes.js';
import { ms } from './stats.js';

/** The request-shapes subsection of section 2, with what Baton's two writes pay over Powertools'. */
export function renderRequestShapes(out: string[], r: RequestShapesResult, command: string): void {
  const find = (item: RequestShape['item'], index: boolean, allNew: boolean) =>
    findShape(r.shapes, { request: 'update', item, index, allNew });
  const base = find('small', false, false);
  const read = findShape(r.shapes, READ_SHAPE);
  const label = (s: RequestShape) =>
    s.request === 'read'
      ? "`GetItem` of Baton's run item, strongly consistent"
      : `\`UpdateItem\` of ${s.item === 'run' ? "Baton's run item" : 'a small record'}, ${s.index ? 'run-list index' : 'no index'}${s.allNew ? ', `ALL_NEW`' : ''}`;
  out.push(
    "### What DynamoDB Local charges for a request's shape",
    '',
    `Reproduce: \`${command}\` (bench/src/request-shapes.ts). One unconditional \`UpdateItem\` of one attribute, ` +
      "on an item shaped like Baton's run item after a few invocations (30 attributes, 2.3 KB: pending " +
      'history, outcome, state) or like a Powertools record (a few short attributes), on a table with or without ' +
      "Baton's run-list index, with or without `ReturnValues: ALL_NEW`; and a strongly consistent `GetItem` of " +
      `the run item. ${r.rounds} interleaved rounds, the order reversed every other round. Medians of the round ` +
      'trip, SDK time included.',
    '',
    table(
      ['Request', 'Round trip p50', 'Over an update of a small record without index'],
      r.shapes.map((s) => [
        label(s),
        ms(s.p50Ms),
        base ? `${s.p50Ms >= base.p50Ms ? '+' : '−'}${ms(Math.abs(s.p50Ms - base.p50Ms))}` : 'n/a',
      ]),
    ),
    '',
  );
  const claim = findShape(r.shapes, CLAIM_SHAPE);
  const commit = find('run', true, false);
  const claimPlain = find('run', false, true);
  const commitPlain = find('run', false, false);
  if (!base || !claim || !commit || !claimPlain || !commitPlain) return;
  const extra = claim.p50Ms + commit.p50Ms - 2 * base.p50Ms;
  const extraPlain = claimPlain.p50Ms + commitPlain.p50Ms - 2 * base.p50Ms;
  out.push(
    "Baton's claim is a write of the run item that returns it (`ALL_NEW`) and its commit a write of the " +
      "run item; Powertools' two writes are of a small record on a table without an index. By these " +
      `medians, Baton's two writes cost DynamoDB Local ${ms(extra)} more per invocation than two writes of a ` +
      `small record; on a table without the run-list index, ${ms(extraPlain)} more.`,
    '',
  );
  if (!read) return;
  // Issue 14's stretch: a step safe to run twice would read the run instead of claiming it.
  out.push(
    'A step that is safe to run twice (a read-only poll) could skip the lease: read the run with a strongly ' +
      'consistent `GetItem` instead of claiming it, then commit with a conditional write as now. By these ' +
      `medians that read costs ${ms(read.p50Ms)} against ${ms(claim.p50Ms)} for the claim's shape of write ` +
      `(${ms(claim.p50Ms - read.p50Ms)} less per invocation), before the claim's condition, which the read ` +
      'would not pay either.',
    '',
  );
}
