import { describe, expect, it } from 'vitest';
import type { VariantLatency } from './latency.js';
import type { BenchResults } from './report.js';
import { renderRemainingGap } from './report-gap.js';
import type { RequestShape } from './request-shapes.js';

const variant = (wallP50: number, dynamoMs: number): VariantLatency =>
  ({
    wall: { p50: wallP50 },
    breakdown: { dynamoMs, codePipelineMs: 1, pollMs: 1, otherMs: wallP50 - dynamoMs - 2 },
  }) as VariantLatency;

const shape = (request: RequestShape['request'], allNew: boolean, p50Ms: number): RequestShape => ({
  request,
  item: 'run',
  index: true,
  allNew,
  p50Ms,
});

/** The figures the paragraph reads; the rest of a run's results plays no part in it. */
function results(wall: { baton: number; noIndex: number; powertools: number }, readMs: number) {
  return {
    latency: {
      variants: {
        baton: variant(wall.baton, 6),
        'baton-no-index': variant(wall.noIndex, 5),
        powertools: variant(wall.powertools, 4),
      },
    },
    requestShapes: { rounds: 1, shapes: [shape('update', true, 2), shape('read', false, readMs)] },
  } as unknown as BenchResults;
}

function render(r: BenchResults): string {
  const out: string[] = [];
  renderRemainingGap(out, r);
  return out.join('\n');
}

describe('renderRemainingGap', () => {
  it('adds the two levers and says the gap stays when they do not close it', () => {
    const text = render(results({ baton: 14, noIndex: 13, powertools: 10 }, 1.5));
    expect(text).toContain('takes 4.00 ms more than');
    expect(text).toContain('DynamoDB 2.00 ms');
    expect(text).toContain('takes 1.00 ms off the median (wall p50 / Powertools 1.30×)');
    expect(text).toContain('0.500 ms less than the claim');
    // 14 - 1 - 0.5 = 12.5 against 10.
    expect(text).toContain('estimated by adding the two, 1.25×');
    expect(text).toContain('not even both together');
  });

  it('says when the levers together would reach the peer', () => {
    const text = render(results({ baton: 11, noIndex: 10.2, powertools: 10.5 }, 1));
    expect(text).toContain('0.97×');
    expect(text).toContain("together they would bring wall p50 to Powertools'");
  });

  it('writes nothing without the row or the shapes it needs', () => {
    const r = results({ baton: 14, noIndex: 13, powertools: 10 }, 1.5);
    (r.requestShapes as { shapes: RequestShape[] }).shapes = [];
    expect(render(r)).toBe('');
  });
});
