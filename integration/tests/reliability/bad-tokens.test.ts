/**
 * Continuation tokens that are foreign, truncated, forged, stale, of a
 * finished run or from another table: each a `ConfigurationError` naming the
 * problem, with nothing stored. See `bad-input-world.ts`.
 */
import { randomUUID } from 'node:crypto';
import { decodeToken, encodeToken } from '@baton/core';
import { describe, expect, it } from 'vitest';
import type { BadInputParams } from '../../fixtures/reliability/bad-input-job.js';
import {
  configuration,
  data,
  type Event,
  expectRejected,
  useBadInputWorld,
} from './bad-input-world.js';

const world = useBadInputWorld('tokens');

describe("continuation tokens that are not Baton's or do not match their run: ConfigurationError", () => {
  /** Plays a run of two polls to its end and returns the tokens its jobs carried. */
  async function finishedRun(
    table = world.tableName,
  ): Promise<{ tokens: string[]; runId: string }> {
    const played = await world.play({
      userParameters: { behaviour: 'poll', polls: 2 },
      table,
      setup: true,
    });
    expect(played.result.status).toBe('Succeeded');
    const tokens = played.result.jobs.flatMap((j) =>
      j.continuationToken ? [j.continuationToken] : [],
    );
    expect(tokens).toHaveLength(2);
    return { tokens, runId: decodeToken(tokens[0]!).runId };
  }

  /** Starts a run outside any action and moves it on by `steps` jobs; returns the tokens handed on. */
  async function runningRun(steps: number): Promise<string[]> {
    const baton = world.batonHandler([]);
    const params: BadInputParams = { behaviour: 'poll', polls: 10 };
    const tokens: string[] = [];
    for (let i = 0; i <= steps; i++) {
      const created = world.emulator.createJob();
      const event = created.event as unknown as Event;
      configuration(event).UserParameters = JSON.stringify(params);
      if (i > 0) data(event).continuationToken = tokens.at(-1);
      const result = await baton(event, {
        getRemainingTimeInMillis: () => 5000,
        awsRequestId: randomUUID(),
      });
      expect(result.kind).toBe('reported');
      if (result.outcome?.kind !== 'continue') throw new Error('expected a continuation');
      tokens.push(result.outcome.continuationToken);
      await new Promise((resolve) => setTimeout(resolve, 60)); // let the 50 ms wait pass
    }
    return tokens;
  }

  const withToken = (token: string, params: BadInputParams = { behaviour: 'poll', polls: 10 }) =>
    world.play({
      userParameters: { ...params },
      mutate: (e) => {
        data(e).continuationToken = token;
        return e;
      },
    });

  it("a token Baton never issued (the second seed event's)", async () => {
    await expectRejected(
      world,
      await withToken('A continuation token if continuing job'),
      /^continuationToken "A continuation token if continuing job" \(38 chars\) is not a Baton token: it was not issued by Baton$/,
      0,
    );
  });

  it('a truncated token', async () => {
    const [token] = await runningRun(0);
    await expectRejected(
      world,
      await withToken(token!.slice(0, -3)),
      /is not a Baton token: it is truncated or malformed$/,
      0,
    );
  });

  it('a token longer than CodePipeline allows', async () => {
    const [token] = await runningRun(0);
    await expectRejected(
      world,
      await withToken(`${token}${'A'.repeat(3000)}`),
      /\(3\d{3} chars\) is not a Baton token: it is truncated or malformed$/,
      0,
    );
  });

  it('a forged token: the right shape, a wrong nonce', async () => {
    const [token] = await runningRun(0);
    const t = decodeToken(token!);
    const forged = encodeToken({ ...t, nonce: 'A'.repeat(22) });
    await expectRejected(
      world,
      await withToken(forged),
      new RegExp(`^continuationToken does not match run ${t.runId}: wrong nonce`),
      1,
    );
  });

  it('a token of sequence 0', async () => {
    const [token] = await runningRun(0);
    await expectRejected(
      world,
      await withToken(encodeToken({ ...decodeToken(token!), jobSeq: 0 })),
      /^continuationToken has sequence 0; continuations start at 1$/,
      0,
    );
  });

  it('a token of a sequence the run has not reached', async () => {
    const [token] = await runningRun(0);
    const t = decodeToken(token!);
    await expectRejected(
      world,
      await withToken(encodeToken({ ...t, jobSeq: 9 })),
      new RegExp(
        `^continuationToken has sequence 9 but run ${t.runId} is at 1: not a token Baton issued$`,
      ),
      1,
    );
  });

  it('a token whose sequence another job already claimed', async () => {
    const [token] = await runningRun(0);
    const t = decodeToken(token!);
    // Another job claimed sequence 1 and died before committing (its lease is over).
    await world.store.claim({
      runId: t.runId,
      jobId: 'the-job-that-claimed-it',
      jobSeq: 1,
      nonce: t.nonce,
      owner: 'dead',
      leaseUntil: Date.now() - 1,
      now: Date.now() - 1000,
    });
    await expectRejected(
      world,
      await withToken(token!),
      /^continuationToken of sequence 1 was already used by job the-job-that-claimed-it$/,
      1,
    );
  });

  it('the last token of a finished run', async () => {
    const { tokens, runId } = await finishedRun();
    await expectRejected(
      world,
      await withToken(tokens[1]!),
      new RegExp(
        `^run ${runId} already succeeded; continuationToken of sequence 2 cannot continue it$`,
      ),
      1,
    );
  });

  it('an earlier token of a finished run', async () => {
    const { tokens, runId } = await finishedRun();
    await expectRejected(
      world,
      await withToken(tokens[0]!),
      new RegExp(
        `^continuationToken of sequence 1 .*run ${runId} is at sequence 2 and already succeeded`,
      ),
      2,
    );
  });

  it('an earlier token of a running run, carried by a new job', async () => {
    const tokens = await runningRun(1);
    const t = decodeToken(tokens[0]!);
    await expectRejected(
      world,
      await withToken(tokens[0]!),
      new RegExp(`^continuationToken of sequence 1 .*run ${t.runId} is at sequence 2`),
      1,
    );
  });

  it('a token from another table (another Baton deployment)', async () => {
    const { tokens } = await finishedRun(world.otherTable);
    await expectRejected(
      world,
      await withToken(tokens[0]!),
      /^continuationToken names a run this table does not hold: it was issued by another Baton deployment \(another table\) or the run expired$/,
      1,
    );
  });
});
