import { describe, expect, it } from 'vitest';
import { codePipelineJobEventSchema, parseJobEvent } from '../src/event/job-event.js';
import { ConfigurationError } from '../src/index.js';
import { seedEvent } from './fixtures.js';

type Event = ReturnType<typeof seedEvent>;
const job = (event: Event) => event['CodePipeline.job'] as unknown as Record<string, unknown>;
const data = (event: Event) => event['CodePipeline.job'].data as unknown as Record<string, unknown>;

describe('the CodePipeline event shape', () => {
  it('accepts the documented event and keeps fields it does not know', async () => {
    const event = seedEvent();
    data(event).somethingNew = { kept: true };
    const result = await codePipelineJobEventSchema['~standard'].validate(event);
    expect(result).toEqual({ value: event });
  });

  it.each<[string, (e: Event) => void, string]>([
    [
      'a null data',
      (e) => {
        job(e).data = null;
      },
      'event["CodePipeline.job"].data: expected an object, got null',
    ],
    [
      'an artifact list that is an object',
      (e) => {
        data(e).inputArtifacts = {};
      },
      'event["CodePipeline.job"].data.inputArtifacts: expected an array, got object',
    ],
    [
      'a nameless second artifact',
      (e) => {
        data(e).inputArtifacts = [{ name: 'a' }, { revision: null }];
      },
      'event["CodePipeline.job"].data.inputArtifacts[1].name: expected a string, got undefined',
    ],
    [
      'an expiration time that is a string',
      (e) => {
        (data(e).artifactCredentials as Record<string, unknown>).expirationTime = 'soon';
      },
      'event["CodePipeline.job"].data.artifactCredentials.expirationTime: expected a number, got string',
    ],
  ])('names the field of %s', async (_name, mutate, message) => {
    const event = seedEvent();
    mutate(event);
    const parsed = parseJobEvent(event);
    await expect(parsed).rejects.toThrow(ConfigurationError);
    await expect(parsed).rejects.toThrow(`malformed CodePipeline event: ${message}`);
  });

  it('refuses an empty job id', async () => {
    const event = seedEvent();
    job(event).id = '';
    const result = await codePipelineJobEventSchema['~standard'].validate(event);
    expect(result.issues).toEqual([
      { message: 'expected at least 1 character(s)', path: ['CodePipeline.job', 'id'] },
    ]);
  });

  it('names every field that does not fit, not only the first', async () => {
    const event = seedEvent();
    data(event).continuationToken = 7;
    job(event).accountId = false;
    await expect(parseJobEvent(event)).rejects.toThrow(
      /\.accountId: expected a string, got boolean; .*\.data\.continuationToken: expected a string, got number/,
    );
  });
});
