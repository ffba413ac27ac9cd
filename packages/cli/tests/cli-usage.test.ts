import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { baton, writeEventFile } from './cli-harness.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('baton command line', () => {
  it('prints the commands with --help and exits 0; with no arguments on stderr and exits 2', async () => {
    const help = await baton(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['local', 'runs list', 'runs show', 'table create']) {
      expect(help.stdout).toContain(`  ${command}`);
    }
    const none = await baton([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('Usage: baton <command>');
  });

  it('has --help for every command, and `baton help <command>` says the same', async () => {
    for (const command of [
      ['local'],
      ['event'],
      ['bundle'],
      ['runs', 'list'],
      ['runs', 'show'],
      ['runs', 'watch'],
      ['runs', 'sweep'],
      ['table', 'create'],
    ]) {
      const help = await baton([...command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: baton ${command.join(' ')}`));
      expect(help.stdout).toContain('Exit status:');
      expect((await baton(['help', ...command])).stdout).toBe(help.stdout);
    }
  });

  it('explains a group word alone, and lists its commands with --help', async () => {
    const missing = await baton(['runs']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing a command after 'runs'");
    expect(missing.stderr).toContain('runs list');
    const unknown = await baton(['table', 'drop']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'table drop'");
    expect((await baton(['runs', '--help'])).code).toBe(0);
  });

  it('rejects unknown commands and options with exit 2 and a pointer to --help', async () => {
    const command = await baton(['deploy']);
    expect(command).toMatchObject({ code: 2, stdout: '' });
    expect(command.stderr).toContain("unknown command 'deploy'");
    const option = await baton(['runs', 'list', '--table', 't', '--colour']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--colour'");
    expect(option.stderr).toContain("Run 'baton runs list --help' for usage.");
  });

  it('checks option values before touching DynamoDB', async () => {
    vi.stubEnv('BATON_TABLE_NAME', 'any');
    const cases: Array<[string[], string]> = [
      [
        ['runs', 'list', '--status', 'paused'],
        '--status must be one of running, succeeded, failed, abandoned, stuck',
      ],
      [['runs', 'list', '--limit', '0'], '--limit must be a whole number ≥ 1'],
      [['runs', 'list', '--limit', 'ten'], "--limit must be a whole number ≥ 1, got 'ten'"],
      [['runs', 'list', 'extra'], "unexpected argument 'extra'"],
      [['runs', 'show'], 'missing <runId>'],
      [['runs', 'show', 'c0d76431-b0e7-xmpl'], 'is not a run id: run ids are 32 hex characters'],
      [['runs', 'show', 'bt1.nonsense'], 'is not a Baton token'],
      [['table', 'create', 'name'], "unexpected argument 'name'"],
    ];
    for (const [argv, message] of cases) {
      const run = await baton(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });

  it('table create needs a table: --table or BATON_TABLE_NAME', async () => {
    vi.stubEnv('BATON_TABLE_NAME', undefined);
    const run = await baton(['table', 'create']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no table given: pass --table NAME or set BATON_TABLE_NAME');
  });

  it('checks `local` arguments: handler, event file, numbers, crash points', async () => {
    const event = await writeEventFile({ url: 'http://127.0.0.1:1/' });
    const cases: Array<[string[], string]> = [
      [['local', '--event', event], '--handler <module#export> is required'],
      [
        ['local', '--handler', 'x.js'],
        "--event <file.json> or --user-parameters '{…}' is required (baton event writes a sample event)",
      ],
      [
        ['local', '--handler', 'x.js', '--event', '/no/such/event.json'],
        'cannot read --event file',
      ],
      [
        ['local', '--handler', 'x.js', '--event', event, '--time-scale', '0'],
        '--time-scale must be a positive number',
      ],
      [
        ['local', '--handler', 'x.js', '--event', event, '--function-timeout-ms', '2.5'],
        '--function-timeout-ms must be a whole number',
      ],
      [
        ['local', '--handler', 'x.js', '--event', event, '--duplicate', '0'],
        '--duplicate must be a whole number ≥ 1',
      ],
      [
        ['local', '--handler', 'x.js', '--event', event, '--crash-at', '500'],
        '--crash-at needs --crash <job>',
      ],
      [
        ['local', '--handler', 'x.js', '--event', event, '--crash', '1', '--crash-at', 'soon'],
        '--crash-at must be report-received, report-applied or a number',
      ],
    ];
    for (const [argv, message] of cases) {
      const run = await baton(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
    }
    const notAnEvent = await writeEventFile({});
    await import('node:fs/promises').then((fs) => fs.writeFile(notAnEvent, '{"Records": []}'));
    const wrong = await baton(['local', '--handler', 'x.js', '--event', notAnEvent]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('is not a CodePipeline job event');
  });
});

describe('the baton executable', () => {
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

  /** Runs `src/main.ts` in a child process (TypeScript through tsx), as the `baton` bin. */
  const exec = (argv: string[], env: Record<string, string | undefined>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--conditions=source', '--import', tsx, main, ...argv],
        {
          env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('exits with the status of the command: 0 for --version, 2 for a usage error', async () => {
    const version = await exec(['--version'], {});
    expect(version).toMatchObject({ code: 0, stdout: 'baton 0.1.0\n' });
    const usage = await exec(['table', 'create'], {});
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('no table given');
  });
});
