/**
 * docs/getting-started.md is this folder, so it cannot drift:
 *
 * - each `ts` and `json` block of the guide is, byte for byte, the file the
 *   prose before it links to, and every file here is shown (but this test and
 *   deploy-stack.test.ts, which check the guide and the stack);
 * - the `./dev` commands of its `sh` blocks run here, in order, from the
 *   workspace sources (no build needed): the local services in the
 *   background, then `baton local`, `baton runs list` and `baton runs show`
 *   against them. The commands not run here say why below, and a command
 *   this test does not know fails it.
 *
 * The other blocks run as themselves: the two test files in this project,
 * the job and the stack in deploy-stack.test.ts, all of it in `pnpm typecheck`.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const exampleDir = join(root, 'examples/getting-started');
const guide = readFileSync(join(root, 'docs/getting-started.md'), 'utf8');

interface Block {
  lang: string;
  text: string;
  /** The last link to a file of this folder in the prose before the block. */
  file: string | undefined;
}

function guideBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  let end = 0;
  for (const match of markdown.matchAll(fence)) {
    const prose = markdown.slice(end, match.index);
    const links = [...prose.matchAll(/\]\(\.\.\/examples\/getting-started\/([^)#\s]+)\)/g)];
    blocks.push({ lang: match[1] ?? '', text: match[2] ?? '', file: links.at(-1)?.[1] });
    end = match.index + match[0].length;
  }
  return blocks;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'cdk.out') return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(exampleDir, path)];
  });
}

/** The shell commands of the guide, continuation lines joined, comments dropped. */
function guideCommands(blocks: Block[]): string[] {
  return blocks
    .filter((block) => block.lang === 'sh')
    .flatMap((block) => block.text.replace(/\\\n\s*/g, '').split('\n'))
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

const blocks = guideBlocks(guide);

describe('docs/getting-started.md', () => {
  it('shows each file of examples/getting-started byte for byte', () => {
    const shown = blocks.filter((block) => block.lang === 'ts' || block.lang === 'json');
    for (const block of shown) {
      expect(block.file, `a ${block.lang} block links no file before it`).toBeDefined();
      const file = readFileSync(join(exampleDir, block.file ?? ''), 'utf8');
      expect(block.text, `the block of ${block.file}`).toBe(file);
    }
    const checkers = ['tests/guide.test.ts', 'tests/deploy-stack.test.ts'];
    expect(shown.map((block) => block.file).sort()).toEqual(
      filesUnder(exampleDir)
        .filter((file) => !checkers.includes(file))
        .sort(),
    );
  });

  // Commands a reader runs that this test does not, and why.
  const notRunHere: RegExp[] = [
    /^git clone |^cd baton$/, // this is the clone
    /^\.\/dev build$/, // CI builds before it tests; the commands below run from the sources
    /^(SHOW_TIMELINE=1 )?\.\/dev vitest run --project examples /, // this is that vitest run
    /^export AWS_ENDPOINT_URL_DYNAMODB=/, // the test run has set it, to its DynamoDB Local
    // deploy-stack.test.ts synthesizes the stack; a deploy needs an AWS account.
    /^\.\/dev --filter @baton\/example-getting-started exec cdk (synth|deploy)$/,
  ];
  const background: ChildProcess[] = [];
  afterAll(() => {
    for (const child of background) if (child.pid) process.kill(-child.pid, 'SIGINT');
  });

  it('runs its commands: the local services, baton local, baton runs', async () => {
    const outputs: string[] = [];
    for (const command of guideCommands(blocks)) {
      if (notRunHere.some((pattern) => pattern.test(command))) continue;
      if (command === './dev --filter @baton/example-getting-started local-services') {
        // The package script `tsx scripts/local-services.ts`, on the workspace sources.
        const child = await startInBackground(
          ['--conditions=source', '--import', tsx, 'scripts/local-services.ts'],
          exampleDir,
          /table baton-local/,
        );
        background.push(child);
      } else if (command.startsWith('./dev baton ')) {
        // `pnpm baton` runs the built CLI; this runs the same main module from its sources.
        // `baton local` ends with the run as stored: `run <id>`.
        const runId = /^run ([0-9a-f]{32})$/m.exec(outputs[0] ?? '')?.[1];
        const args = shellWords(command.replace('<runId>', runId ?? '<runId>')).slice(2);
        const { code, stdout, stderr } = await runNode([cliMain, ...args]);
        expect(code, `${command}\n${stdout}\n${stderr}`).toBe(0);
        outputs.push(stdout);
      } else {
        throw new Error(`the guide has a command this test neither runs nor skips: ${command}`);
      }
    }
    expect(outputs).toHaveLength(3);
    const [local, list, show] = outputs as [string, string, string];
    expect(local).toMatch(/^outcome: Succeeded after 3 jobs and 5 invocations/m);
    expect(local).toContain('fault cut-off');
    expect(local).toContain('fault duplicate-delivery');
    const runId = /^run ([0-9a-f]{32})$/m.exec(local)?.[1] ?? 'no run id printed';
    expect(list).toMatch(new RegExp(`^${runId}\\s+deploy\\s+succeeded\\s`, 'm'));
    expect(show).toMatch(
      new RegExp(`^run ${runId}\\n\\s+job\\s+deploy\\n\\s+status\\s+succeeded`, 'm'),
    );
  }, 180_000); // cold starts of the CLI and the handler's container, a crash, a retry
});

const tsx = import.meta.resolve('tsx');
const cliMain = join(root, 'packages/cli/src/main.ts');

/** Runs a Node module on the workspace sources from the repository root, as `./dev` would. */
function runNode(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', tsx, ...args],
      { cwd: root, maxBuffer: 1 << 24 },
      (error, stdout, stderr) => resolve({ code: Number(error?.code ?? 0), stdout, stderr }),
    );
  });
}

/** Splits a command line at spaces (the guide's commands have no quotes). */
function shellWords(command: string): string[] {
  return command.split(/\s+/).filter((word) => word !== '');
}

/** Starts a Node process that serves until interrupted; resolves once it printed `ready`. */
function startInBackground(args: string[], cwd: string, ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd, detached: true });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      if (ready.test(output)) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${args.join(' ')} exited (${code}):\n${output}`)),
    );
  });
}
