/**
 * Bad `UserParameters`, table-driven: missing, empty, blank, not JSON, huge,
 * of the wrong shape (a `ConfigurationError` naming the problem), and 1 MB
 * of valid JSON, which must simply work. See `bad-input-world.ts`.
 */
import type { UserParametersValue } from '@baton/testing';
import { describe, expect, it } from 'vitest';
import { expectNoRetry, expectRejected, useBadInputWorld } from './bad-input-world.js';

const world = useBadInputWorld('parameters');

describe('UserParameters that do not parse or validate: ConfigurationError naming the problem', () => {
  const huge = `${'x'.repeat(1024 * 1024)}`;
  it.each<[string, UserParametersValue, RegExp]>([
    [
      'missing',
      null,
      /^invalid UserParameters: UserParameters: expected an object like .*, got undefined$/,
    ],
    ['empty', '', /^invalid UserParameters: UserParameters: expected an object .*, got undefined$/],
    [
      'blank',
      '   ',
      /^invalid UserParameters: UserParameters: expected an object .*, got undefined$/,
    ],
    [
      'not JSON',
      'some-input-such-as-a-URL',
      /^UserParameters is not valid JSON \(.*\); got "some-input-such-as-a-URL"$/,
    ],
    ['1 MB that is not JSON', huge, /^UserParameters is not valid JSON \(.*\); got "x{80}…"$/],
    [
      '1 MB of JSON with a wrong field',
      { behaviour: 'deploy', padding: huge },
      /^invalid UserParameters: UserParameters\.behaviour: expected one of finish, .*got "deploy"$/,
    ],
    ['a JSON array', '[1,2,3]', /UserParameters: expected an object .*, got an array$/],
    ['JSON null', 'null', /UserParameters: expected an object .*, got null$/],
    [
      'a field of the wrong type',
      { behaviour: 'poll', polls: 'three' },
      /^invalid UserParameters: UserParameters\.polls: expected an integer ≥ 0, got "three"$/,
    ],
    [
      'two wrong fields',
      { behaviour: 7, polls: -1 },
      /UserParameters\.behaviour: .*; UserParameters\.polls: /,
    ],
  ])('%s', async (_name, userParameters, message) => {
    const played = await world.play({ userParameters });
    // One read: whether an earlier deployment, whose schema took these
    // parameters, already answered the job (then its outcome is re-sent).
    await expectRejected(world, played, message, 1);
    expect(played.result.failureDetails?.message.length).toBeLessThanOrEqual(5000);
  });

  it('1 MB of valid JSON is just parameters: the run succeeds', async () => {
    const played = await world.play({ userParameters: { behaviour: 'finish', padding: huge } });
    expect(played.result.status).toBe('Succeeded');
    expect(played.result.outputVariables).toEqual({ done: 'yes' });
    expectNoRetry(played);
    // Parameters are never stored or logged.
    expect(JSON.stringify([...(await world.scan()).values()])).not.toContain('x'.repeat(1000));
    expect(played.logs.join('\n')).not.toContain('x'.repeat(1000));
  });
});
