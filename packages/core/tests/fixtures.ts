import { readFileSync } from 'node:fs';

/** Shape of the seed events (CodePipeline's documented example events). */
export interface SeedEvent {
  'CodePipeline.job': {
    id: string;
    accountId: string;
    data: {
      actionConfiguration: { configuration: { FunctionName: string; UserParameters?: string } };
      continuationToken?: string;
      artifactCredentials?: Record<string, string | number>;
      [key: string]: unknown;
    };
  };
}

function load(name: string): SeedEvent {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
}

/** The Lambda guide's example event: JSON UserParameters, no token. */
export function seedEvent(): SeedEvent {
  return load('seed-event-json-params.json');
}

/** The second example: non-JSON UserParameters and a token Baton never issued. */
export function secondSeedEvent(): SeedEvent {
  return load('seed-event-text-params.json');
}
