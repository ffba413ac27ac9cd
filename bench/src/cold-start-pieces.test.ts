import { describe, expect, it } from 'vitest';
import { coldStartPieces, type TimedRun } from './cold-start-pieces.js';

const run = (gcPauses: TimedRun['gcPauses']): TimedRun => ({
  importMs: 200,
  invokeMs: 100,
  requests: [
    { operation: 'UpdateItem', startMs: 10, endMs: 30 },
    { operation: 'PutJobSuccessResult', startMs: 90, endMs: 96 },
  ],
  gcPauses,
});

describe('coldStartPieces', () => {
  it('gives the raw pieces when no GC pause falls in them', () => {
    const pieces = coldStartPieces([run([])]);
    expect(pieces).toEqual({
      importMs: 200,
      beforeFirstRequestMs: 10,
      requests: [
        { operation: 'UpdateItem', ms: 20 },
        { operation: 'PutJobSuccessResult', ms: 6 },
      ],
      betweenRequestsMs: 60,
      gapsMs: [60],
      afterLastRequestMs: 4,
      gc: { import: { count: 0, ms: 0 }, invocation: { count: 0, ms: 0 } },
    });
  });

  it('takes a pause out of the request it falls in and counts it on its own', () => {
    const pieces = coldStartPieces([run([{ startMs: 90.5, ms: 5 }])]);
    expect(pieces?.requests).toEqual([
      { operation: 'UpdateItem', ms: 20 },
      { operation: 'PutJobSuccessResult', ms: 1 },
    ]);
    expect(pieces?.betweenRequestsMs).toBe(60);
    expect(pieces?.gc.invocation).toEqual({ count: 1, ms: 5 });
  });

  it('splits a pause across the pieces it spans and keeps import pauses apart', () => {
    const pieces = coldStartPieces([
      run([
        { startMs: -50, ms: 8 },
        { startMs: -3, ms: 4 },
        { startMs: 26, ms: 10 },
      ]),
    ]);
    // -3..1 straddles the end of the import: 3 ms of it in the import, 1 ms before the first request.
    expect(pieces?.importMs).toBe(189);
    expect(pieces?.beforeFirstRequestMs).toBe(9);
    expect(pieces?.gc.import).toEqual({ count: 2, ms: 11 });
    // 26..36: 4 ms inside the UpdateItem, 6 ms between the requests.
    expect(pieces?.requests[0]).toEqual({ operation: 'UpdateItem', ms: 16 });
    expect(pieces?.betweenRequestsMs).toBe(54);
    expect(pieces?.gapsMs).toEqual([54]);
    expect(pieces?.gc.invocation).toEqual({ count: 2, ms: 11 });
  });

  it('gives each gap between requests, with the status poll as a request of its own', () => {
    const pieces = coldStartPieces([
      {
        importMs: 200,
        invokeMs: 100,
        requests: [
          { operation: 'UpdateItem', startMs: 10, endMs: 20 },
          { operation: 'fetch', startMs: 50, endMs: 55 },
          { operation: 'UpdateItem', startMs: 62, endMs: 66 },
          { operation: 'PutJobSuccessResult', startMs: 70, endMs: 72 },
        ],
        gcPauses: [{ startMs: 30, ms: 4 }],
      },
    ]);
    expect(pieces?.requests.map((r) => r.operation)).toEqual([
      'UpdateItem',
      'fetch',
      'UpdateItem',
      'PutJobSuccessResult',
    ]);
    // 20..50 less the 4 ms pause, 55..62, 66..70.
    expect(pieces?.gapsMs).toEqual([26, 7, 4]);
    expect(pieces?.betweenRequestsMs).toBe(37);
  });
});
