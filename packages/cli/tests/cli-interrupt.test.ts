import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEventFile } from './cli-harness.js';

// Ctrl-C on the built `baton` executable: every command that waits on
// DynamoDB stops at once with exit 130, whatever it was waiting for. The
// "DynamoDB" here accepts connections and never answers, so each command is
// surely mid-request when the signal comes.

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));
let silent: Server;
let endpoint: string;
const connected: Array<() => void> = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  if (!existsSync(main)) throw new Error(`${main} is missing: run 'pnpm build' first`);
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    for (const notify of connected.splice(0)) notify();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  if (!address || typeof address !== 'object') throw new Error('no port');
  endpoint = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
});

/** Starts `baton <argv>`, sends SIGINT once it is waiting on DynamoDB, and collects how it ended. */
async function interrupt(argv: string[]) {
  const reached = new Promise<void>((resolve) => connected.push(resolve));
  const child = spawn(process.execPath, [main, ...argv], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  await reached;
  child.kill('SIGINT');
  const { code, signal } = await exited;
  return { code, signal, stderr };
}

describe('Ctrl-C on the baton executable', () => {
  const runId = 'a'.repeat(32);
  const cases: string[][] = [
    ['runs', 'list', '--table', 't'],
    ['runs', 'show', runId, '--table', 't'],
    ['runs', 'watch', runId, '--table', 't'],
    ['runs', 'sweep', '--table', 't'],
    ['table', 'create', '--table', 't'],
  ];
  for (const argv of cases) {
    it(`baton ${argv.slice(0, 2).join(' ')} exits 130 and says it was interrupted`, async () => {
      const ended = await interrupt(argv);
      expect(ended.signal).toBeNull();
      expect(ended.code).toBe(130);
      expect(ended.stderr).toContain(`baton ${argv.slice(0, 2).join(' ')}: interrupted`);
    });
  }

  it('baton local exits 130 while it waits for DynamoDB Local', async () => {
    const event = await writeEventFile({ url: 'http://127.0.0.1:1/' });
    const ended = await interrupt(['local', '--handler', './nowhere.js', '--event', event]);
    expect(ended.code).toBe(130);
    expect(ended.stderr).toContain('baton local: interrupted');
  });
});
