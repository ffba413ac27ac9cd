import { describe, expect, it } from 'vitest';
import { barrierLine, barrierOf, OutputBarriers } from './output-barrier.js';

describe('output barriers', () => {
  it('tells a barrier line from any line a handler writes', () => {
    expect(barrierOf(barrierLine('j1-d1-a1'))).toBe('j1-d1-a1');
    expect(barrierOf('{"level":"INFO","message":"j1-d1-a1"}')).toBeUndefined();
    expect(barrierOf('')).toBeUndefined();
  });

  it('is complete only when both streams brought the barrier of every invocation that returned', async () => {
    const barriers = new OutputBarriers();
    expect(barriers.complete).toBe(true);
    barriers.returned('j1-d1-a1');
    barriers.seen('stdout', 'j1-d1-a1');
    expect(barriers.complete).toBe(false);
    const settled = barriers.settled(5_000).then(() => barriers.complete);
    setTimeout(() => barriers.seen('stderr', 'j1-d1-a1'), 20);
    await expect(settled).resolves.toBe(true);
  });

  it('stops waiting after its cap when a barrier never comes', async () => {
    const barriers = new OutputBarriers();
    barriers.returned('j2-d1-a1');
    await barriers.settled(30);
    expect(barriers.complete).toBe(false);
  });
});
