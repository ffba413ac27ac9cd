/**
 * Bad events, table-driven: events without a job id (nothing can be
 * reported: `InvalidEventError` is thrown and Lambda retries), and events
 * with a job id that miss a required field or have one of the wrong type (a
 * `ConfigurationError` naming the field). See `bad-input-world.ts`.
 */
import { describe, expect, it } from 'vitest';
import {
  configuration,
  data,
  expectNoSecrets,
  expectRejected,
  type Mutate,
  useBadInputWorld,
} from './bad-input-world.js';

const world = useBadInputWorld('events');

describe('an event without a job id: InvalidEventError is thrown, nothing is reported', () => {
  it.each<[string, Mutate]>([
    ['null', () => null],
    ['a string', () => 'CodePipeline.job'],
    ['an empty object', () => ({})],
    ['an S3 event', () => ({ Records: [{ eventSource: 'aws:s3' }] })],
    [
      'a job without id',
      (e) => ({ 'CodePipeline.job': { ...e['CodePipeline.job'], id: undefined } }),
    ],
    ['a numeric id', (e) => ({ 'CodePipeline.job': { ...e['CodePipeline.job'], id: 42 } })],
    ['an empty id', (e) => ({ 'CodePipeline.job': { ...e['CodePipeline.job'], id: '' } })],
  ])('%s', async (_name, mutate) => {
    const played = await world.play({ mutate });
    // Thrown, so Lambda retries twice; the job gets no result and times out.
    expect(played.thrown.length).toBe(3);
    for (const err of played.thrown) {
      expect(err).toMatchObject({
        name: 'InvalidEventError',
        message: expect.stringMatching(
          /^not a CodePipeline job event: expected \{"CodePipeline.job": \{"id"/,
        ),
      });
    }
    expect(played.result.timeline.some((e) => e.type === 'report-received')).toBe(false);
    expect(played.result.reason).toBe('no-reply-timeout');
    expect(played.changes).toEqual([]);
    expect(played.requests).toBe(0);
    await expectNoSecrets(world, played);
  });
});

describe('a malformed event with a job id: ConfigurationError naming the field', () => {
  it.each<[string, Mutate, RegExp]>([
    [
      'no data',
      (e) => ({ 'CodePipeline.job': { ...e['CodePipeline.job'], data: undefined } }),
      /\["CodePipeline\.job"\]\.data: /,
    ],
    [
      'data of the wrong type',
      (e) => ({ 'CodePipeline.job': { ...e['CodePipeline.job'], data: 'x' } }),
      /\["CodePipeline\.job"\]\.data: /,
    ],
    [
      'no actionConfiguration',
      (e) => {
        delete data(e).actionConfiguration;
        return e;
      },
      /\.data\.actionConfiguration: /,
    ],
    [
      'no configuration',
      (e) => {
        data(e).actionConfiguration = {};
        return e;
      },
      /\.actionConfiguration\.configuration: /,
    ],
    [
      'a numeric UserParameters',
      (e) => {
        configuration(e).UserParameters = 42;
        return e;
      },
      /\.configuration\.UserParameters: /,
    ],
    [
      'a numeric continuationToken',
      (e) => {
        data(e).continuationToken = 42;
        return e;
      },
      /\.data\.continuationToken: /,
    ],
    [
      'credentials as one string',
      (e) => {
        data(e).artifactCredentials = 'ASIAEXAMPLE:secret-as-one-string';
        return e;
      },
      /\.data\.artifactCredentials: /,
    ],
    [
      'credentials without a session token',
      (e) => {
        delete (data(e).artifactCredentials as Record<string, unknown>).sessionToken;
        return e;
      },
      /\.artifactCredentials\.sessionToken: /,
    ],
    [
      'inputArtifacts as an object',
      (e) => {
        data(e).inputArtifacts = {};
        return e;
      },
      /\.data\.inputArtifacts: /,
    ],
    [
      'an artifact without a name',
      (e) => {
        data(e).outputArtifacts = [{ revision: null }];
        return e;
      },
      /\.data\.outputArtifacts\[0\]\.name: /,
    ],
    [
      'a numeric accountId',
      (e) => ({ 'CodePipeline.job': { ...e['CodePipeline.job'], accountId: 7 } }),
      /\.accountId: /,
    ],
  ])('%s', async (_name, mutate, message) => {
    const played = await world.play({ mutate });
    await expectRejected(
      world,
      played,
      new RegExp(`^malformed CodePipeline event: .*${message.source}`),
      0,
    );
  });
});
