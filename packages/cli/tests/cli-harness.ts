import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject, vi } from 'vitest';
import { runCli } from '../src/run-cli.js';

/** What one `baton` run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `baton <argv>` in this process (the same `runCli` the executable
 * calls), capturing its output. `now` moves the CLI's clock, e.g. to look at
 * runs from 30 minutes in the future.
 */
export async function baton(argv: string[], options: { now?: () => number } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    now: options.now ?? Date.now,
  });
  return { code, stdout, stderr };
}

/**
 * Points the AWS SDK at the test run's DynamoDB Local the standard way
 * (`AWS_ENDPOINT_URL_DYNAMODB`), as a user of the CLI would. Undo with
 * `vi.unstubAllEnvs()`.
 */
export function useLocalDynamoDB(): string {
  const endpoint = inject('dynamodbEndpoint');
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  vi.stubEnv('BATON_TABLE_NAME', undefined);
  return endpoint;
}

/** A table name no other test uses. */
export function uniqueTableName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** The deploy-and-wait Lambda entry of `@baton/handlers`, as a handler module spec. */
export const DEPLOY_AND_WAIT_HANDLER = `${fileURLToPath(new URL('./fixtures/deploy-and-wait-entry.ts', import.meta.url))}#handler`;

/** Writes a CodePipeline job event with these UserParameters to a temporary file. */
export async function writeEventFile(userParameters: unknown, functionName = 'deploy-and-wait') {
  const dir = await mkdtemp(join(tmpdir(), 'baton-cli-test-'));
  const path = join(dir, 'event.json');
  await writeFile(
    path,
    JSON.stringify({
      'CodePipeline.job': {
        id: 'replaced-per-job',
        accountId: '123456789012',
        data: {
          actionConfiguration: {
            configuration: {
              FunctionName: functionName,
              UserParameters: JSON.stringify(userParameters),
            },
          },
          inputArtifacts: [],
          outputArtifacts: [],
        },
      },
    }),
  );
  return path;
}
