// The consumer test: packs every published package, installs the tarballs
// with npm into a fresh directory outside the workspace, and in three
// projects there compiles the README's example job and plays it through
// @baton/testing's emulator against DynamoDB Local:
//   esm-ts  ESM TypeScript, module/moduleResolution nodenext (and a bundler typecheck)
//   cjs-ts  CommonJS TypeScript, module/moduleResolution node16
//   cjs-js  plain CommonJS JavaScript loaded with require()
// The projects share one npm install (in their parent directory) to keep CI
// fast. Then it installs @baton/core and @baton/handlers alone, with the same
// npm cache, and fails when @baton/handlers pulls in test tools.
// Usage: pnpm build && pnpm test:consumer [--footprint] [--keep]
//   --footprint  also measure @baton/testing alone (for the README's table)
//   --keep       leave the temporary directory for a look
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { packAll, ROOT } from '../published-packages.mjs';
import { measureFootprints } from './footprint.mjs';

const exec = promisify(execFile);
const keep = process.argv.includes('--keep');
const withTesting = process.argv.includes('--footprint');
const example = join(ROOT, 'examples', 'wait-for-version.ts');
const runner = join(ROOT, 'scripts', 'consumer-test', 'run-example.ts');

// What the example and the runner need besides Baton, at the workspace's versions.
const TOOLS = { typescript: '5.9.3', '@types/node': '^24.19.2', zod: '^4.6.7' };

const work = await mkdtemp(join(tmpdir(), 'baton-consumer-'));
const started = performance.now();
// pnpm passes its settings to scripts as npm_config_*; npm must not read them.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key)),
);
env.npm_config_cache = join(work, 'npm-cache');
let dynamodb;

try {
  const tarballDir = join(work, 'tarballs');
  await mkdir(tarballDir);
  const packed = await packAll(tarballDir);
  const tarballs = Object.fromEntries(packed.map((pkg) => [pkg.name, `file:${pkg.tarball}`]));
  // @baton/cdk is left out: its peer aws-cdk-lib alone would double the install.
  const installed = Object.fromEntries(
    Object.entries(tarballs).filter(([name]) => name !== '@baton/cdk'),
  );
  log(`packed ${packed.map((pkg) => pkg.name).join(', ')} into ${tarballDir}`);

  const consumers = join(work, 'consumers');
  await mkdir(consumers);
  await writeJson(join(consumers, 'package.json'), {
    name: 'baton-consumers',
    private: true,
    dependencies: { ...installed, ...TOOLS },
  });
  let at = performance.now();
  await npm(consumers, ['install']);
  log(
    `npm install of ${Object.keys(tarballs).length} tarballs and their dependencies: ${since(at)}`,
  );

  // One DynamoDB Local for the three runs (the workspace's harness; an
  // endpoint in AWS_ENDPOINT_URL_DYNAMODB is used as it is).
  const harness = pathToFileURL(join(ROOT, 'packages', 'testing', 'dist', 'index.js')).href;
  const { startDynamoDBLocal } = await import(harness);
  // A cold JVM on a busy machine can take more than the default minute.
  dynamodb = await startDynamoDBLocal({ startTimeoutMs: 180_000 });
  env.AWS_ENDPOINT_URL_DYNAMODB = dynamodb.endpoint;
  log(`DynamoDB Local (${dynamodb.source}) at ${dynamodb.endpoint}`);

  at = performance.now();
  // One after another: each starts Lambda containers of its own, with their 10 s init limit.
  const results = [
    await project(consumers, 'esm-ts', 'module', compileTs('nodenext')),
    await project(consumers, 'cjs-ts', 'commonjs', compileTs('node16')),
    await project(consumers, 'cjs-js', 'commonjs', stripTypes),
  ];
  log(`compiled and ran the three projects: ${since(at)}`);

  at = performance.now();
  const measured = ['@baton/core', '@baton/handlers', ...(withTesting ? ['@baton/testing'] : [])];
  const footprints = await measureFootprints({ work, tarballs, measured, npm });
  log(`install footprint (npm, fresh project, dependencies included; ${since(at)}):`);
  for (const line of footprints.table) log(`  ${line}`);

  for (const result of results)
    log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name}: ${result.line}`);
  const problems = [
    ...results.filter((result) => !result.ok).map((result) => `${result.name} failed`),
    ...footprints.problems,
  ];
  log(`finished in ${since(started)}`);
  if (problems.length > 0) {
    console.error(`consumer test failed: ${problems.join('; ')}`);
    process.exitCode = 1;
  }
} finally {
  await dynamodb?.stop();
  if (keep) log(`kept ${work}`);
  else await rm(work, { recursive: true, force: true });
}

/** Writes, compiles and runs one consumer project; its packages are its parent's. */
async function project(parent, name, type, compile) {
  const dir = join(parent, name);
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeJson(join(dir, 'package.json'), {
    name: `baton-consumer-${name}`,
    private: true,
    type,
  });
  await copyFile(example, join(dir, 'src', 'wait-for-version.ts'));
  await copyFile(runner, join(dir, 'src', 'run-example.ts'));
  try {
    await compile(dir);
    const { stdout } = await exec(
      process.execPath,
      [join(dir, 'dist', 'run-example.js'), join(dir, 'dist', 'wait-for-version.js')],
      { cwd: dir, env, timeout: 180_000 },
    );
    return { name, ok: true, line: stdout.trim().split('\n').at(-1) };
  } catch (err) {
    return { name, ok: false, line: `${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/** tsc with this module setting, strict, checking the packages' declarations too. */
function compileTs(module) {
  return async (dir) => {
    await writeJson(join(dir, 'tsconfig.json'), {
      compilerOptions: {
        target: 'ES2023',
        lib: ['ES2023'],
        module,
        moduleResolution: module,
        types: ['node'],
        strict: true,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: false,
        rootDir: 'src',
        outDir: 'dist',
      },
      include: ['src'],
    });
    const tsc = join(dir, '..', 'node_modules', 'typescript', 'bin', 'tsc');
    await exec(process.execPath, [tsc, '-p', '.'], { cwd: dir }).catch(withOutput);
    if (module === 'nodenext') {
      // The same sources as a bundler would resolve them.
      const bundler = ['--noEmit', '--module', 'preserve', '--moduleResolution', 'bundler'];
      await exec(process.execPath, [tsc, '-p', '.', ...bundler], { cwd: dir }).catch(withOutput);
    }
  };
}

/** The JavaScript project has no TypeScript: its files are the sources with types removed. */
async function stripTypes(dir) {
  await mkdir(join(dir, 'dist'));
  for (const file of ['wait-for-version', 'run-example']) {
    const source = await readFile(join(dir, 'src', `${file}.ts`), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2023 },
    });
    await writeFile(join(dir, 'dist', `${file}.js`), outputText);
  }
  await rm(join(dir, 'src'), { recursive: true });
  const js = await readFile(join(dir, 'dist', 'run-example.js'), 'utf8');
  if (!js.includes('require("@baton/testing")')) throw new Error('cjs-js: expected require()');
}

async function npm(cwd, args) {
  await exec('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    env,
    maxBuffer: 64 * 1024 * 1024,
  }).catch(withOutput);
}

function withOutput(err) {
  throw new Error(`${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
}

async function writeJson(path, value) {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

function since(start) {
  return `${((performance.now() - start) / 1000).toFixed(1)} s`;
}

function log(line) {
  console.log(`consumer: ${line}`);
}
