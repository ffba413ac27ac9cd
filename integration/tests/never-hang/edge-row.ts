/**
 * The edge suite's rows and how each is played and checked. A row is a small
 * job written with Baton's public API, played through the CodePipeline
 * emulator with Lambda's retries against DynamoDB Local. Whatever the row,
 * the action ends with a report (no row may hang), no deterministic error
 * reaches Lambda's retry (no invocation throws), and no 10-character piece of
 * any job's artifact credentials appears in the logs, the table or
 * CodePipeline.
 */
import type { LambdaHandlerOptions } from '@baton/core';
import { type CodePipelineEmulator, startCodePipelineEmulator } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDB } from '../../support/baton-action.js';
import { type PlayOptions, playEdgeRow, secretPiecesIn } from './play-edge-row.js';

/** One row: the input, the expected report, and how often user code ran. */
export interface EdgeRow {
  /** The point this row shows. */
  point: string;
  job: PlayOptions['job'];
  withoutTable?: boolean;
  handlerOptions?: Partial<LambdaHandlerOptions>;
  /** @default 5000 */
  functionTimeoutMs?: number;
  /** A new deployment that answers after the first invocations. */
  upgrade?: PlayOptions['upgrade'];
  expected: {
    status: 'Succeeded' | 'Failed';
    failureType?: string;
    message?: RegExp;
    summary?: RegExp;
  };
  /** User code runs by step (`initialState` included). */
  userCodeRuns: Record<string, number>;
  /** Extra checks on what was played. */
  check?: (played: Awaited<ReturnType<typeof playEdgeRow>>) => void;
}

/**
 * Plays each row of `rows` as a test of a `describe` block titled `title`,
 * with one emulator for the block.
 *
 * @example
 * ```ts
 * describeEdgeRows('never hang: what steps return', { 'a row': row });
 * ```
 */
export function describeEdgeRows(title: string, rows: Record<string, EdgeRow>): void {
  const started = {} as { emulator: CodePipelineEmulator };
  const savedTableName = process.env.BATON_TABLE_NAME;

  beforeAll(async () => {
    // A row without a table must not find one in the environment.
    delete process.env.BATON_TABLE_NAME;
    started.emulator = await startCodePipelineEmulator({ timeScale: 1 / 5000 });
  });

  afterAll(async () => {
    if (savedTableName !== undefined) process.env.BATON_TABLE_NAME = savedTableName;
    await started.emulator?.stop();
  });

  describe(title, () => {
    it.each(Object.entries(rows))('%s', async (_, row) => {
      const played = await playEdgeRow({
        emulator: started.emulator,
        dynamoDB: dynamoDB(),
        job: row.job,
        ...(row.withoutTable ? { withoutTable: true } : {}),
        ...(row.handlerOptions ? { handlerOptions: row.handlerOptions } : {}),
        ...(row.functionTimeoutMs ? { functionTimeoutMs: row.functionTimeoutMs } : {}),
        ...(row.upgrade ? { upgrade: row.upgrade } : {}),
      });
      const { result } = played;
      // It ended with a report, and no deterministic error reached Lambda's retry.
      expect(result.reason).toBe(
        row.expected.status === 'Succeeded' ? 'succeeded' : 'failure-reported',
      );
      expect(result.status).toBe(row.expected.status);
      expect(played.thrown).toEqual([]);
      expect(played.invocations.every((line) => line.endsWith(' returned'))).toBe(true);
      if (row.expected.failureType) {
        expect(result.failureDetails?.type).toBe(row.expected.failureType);
      }
      if (row.expected.message)
        expect(result.failureDetails?.message).toMatch(row.expected.message);
      if (row.expected.summary)
        expect(result.executionDetails?.summary).toMatch(row.expected.summary);
      expect(played.runs).toEqual(row.userCodeRuns);
      for (const job of result.jobs) {
        for (const value of Object.values(job.artifactCredentials)) {
          if (typeof value === 'string') expect(secretPiecesIn(played.written, value)).toEqual([]);
        }
      }
      row.check?.(played);
    });
  });
}
