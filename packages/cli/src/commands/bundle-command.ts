import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import {
  LAMBDA_BUNDLE_FILE,
  LAMBDA_BUNDLE_OPTIONS,
  LAMBDA_ZIP_ENTRY_OPTIONS,
} from '@baton/handlers';
import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { type CliCommand, CommandFailure, ExitCode, UsageError } from '../cli-command.js';
import { parseCommand } from '../parse-command-line.js';

const HELP = `Usage: baton bundle <entry> [--name NAME] [--out-dir DIR] [--export NAME]

Builds a Lambda deployment zip of your own job: <entry> is the module that
exports the handler (export const handler = createLambdaHandler(job)),
TypeScript or JavaScript. It is bundled with the esbuild options of Baton's
ready-made handlers (one minified ESM file for Node.js 22+, every dependency
inside, the AWS SDK too) into DIR/NAME/${LAMBDA_BUNDLE_FILE}, and zipped into
DIR/NAME.zip with a fixed timestamp (same code, same bytes).

Options:
  --name NAME     the bundle's name (default: the entry's file name)
  --out-dir DIR   where to write (default dist/bundle)
  --export NAME   the handler's export, for the handler setting printed
                  (default handler: the function's handler is index.handler)
  -h, --help      this help

Deploy the zip with runtime nodejs22.x or nodejs24.x, the printed handler
setting and BATON_TABLE_NAME (see the README's Deploy section).

Exit status: 0 built, 1 the build failed, 2 usage error.
`;

/**
 * `baton bundle <entry>`: a Lambda zip of a user's own job, built with the
 * ready-made handlers' esbuild options.
 *
 * @example
 * ```ts
 * await bundleCommand.run(['src/my-job.ts', '--out-dir', 'dist/bundle'], io);
 * ```
 */
export const bundleCommand: CliCommand = {
  name: 'bundle',
  summary: "build a Lambda zip of your own job with Baton's esbuild options",
  help: HELP,
  async run(args, io) {
    const parsed = parseCommand(args, {
      options: {
        name: { type: 'string' },
        'out-dir': { type: 'string' },
        export: { type: 'string' },
      },
      positionals: ['entry'],
      help: HELP,
      stdout: io.stdout,
    });
    if (!parsed) return ExitCode.Success;
    const { values, positionals } = parsed;
    const entry = resolve(positionals[0] ?? '');
    const name = values.name ?? basename(entry, extname(entry));
    if (!/^[\w.-]+$/.test(name)) {
      throw new UsageError(`--name must be letters, digits, '.', '_' or '-', got '${name}'`);
    }
    const exportName = values.export ?? 'handler';
    if (!/^[A-Za-z_$][\w$]*$/.test(exportName)) {
      throw new UsageError(`--export must be a JavaScript identifier, got '${exportName}'`);
    }
    const outRoot = resolve(values['out-dir'] ?? join('dist', 'bundle'));
    const outDir = join(outRoot, name);
    const outfile = join(outDir, LAMBDA_BUNDLE_FILE);
    await rm(outDir, { recursive: true, force: true });
    await mkdir(outDir, { recursive: true });
    let exported: readonly string[];
    try {
      const result = await build({
        entryPoints: [entry],
        outfile,
        ...LAMBDA_BUNDLE_OPTIONS,
        logLevel: 'silent',
        metafile: true,
      });
      exported = Object.values(result.metafile.outputs)[0]?.exports ?? [];
    } catch (err) {
      // esbuild's message lists each error with its file and line.
      throw new CommandFailure(`bundling ${shown(entry)} failed: ${(err as Error).message}`);
    }
    const code = await readFile(outfile);
    if (!exported.includes(exportName)) {
      throw new CommandFailure(
        `${shown(entry)} exports no '${exportName}': the Lambda handler must be an export (export const ${exportName} = createLambdaHandler(job)), or pass --export NAME`,
      );
    }
    const zip = zipSync({ [LAMBDA_BUNDLE_FILE]: [code, { ...LAMBDA_ZIP_ENTRY_OPTIONS }] });
    const zipFile = join(outRoot, `${name}.zip`);
    await writeFile(zipFile, zip);
    io.stdout.write(
      `${shown(outfile)} ${kib(code.length)}, ${shown(zipFile)} ${kib(zip.length)}\n` +
        `Lambda handler setting: index.${exportName} (runtime nodejs22.x or nodejs24.x; set BATON_TABLE_NAME)\n`,
    );
    return ExitCode.Success;
  },
};

function shown(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside.startsWith('..') ? path : inside;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
