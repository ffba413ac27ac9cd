import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
// The options of the ready-made handlers' bundles, so that the sizes compare.
import { LAMBDA_BUNDLE_OPTIONS } from '@baton/handlers';
import { build } from 'esbuild';
import type { BenchEnv } from './bench-env.js';
import {
  type ColdStartPieces,
  coldStartPieces,
  GC_PAUSES_SINCE_SCRIPT,
  REQUEST_TIMING_SCRIPT,
  REQUESTS_SINCE_SCRIPT,
  type TimedRun,
} from './cold-start-pieces.js';
import { median } from './stats.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

export interface ColdStartBundle {
  name: string;
  description: string;
  bytes: number;
  gzipBytes: number;
  /** Median ms to `import()` the bundle in a fresh Node process. */
  importMs: number;
  /** Median ms of the first invocation after that import (SDK set-up, first connections). */
  firstInvokeMs: number;
  /** Median over the runs of import plus first invocation: what a cold start costs the caller. */
  coldMs: number;
  /** Median ms from spawning the process to its exit. */
  processMs: number;
  runs: number;
  /** Runs whose first invocation did not get its job to succeed. */
  failures: number;
  /** Where the import and the first invocation spent their time (cold-start-pieces.ts). */
  pieces: ColdStartPieces | undefined;
  /** Largest contributors to the minified bundle, by package. */
  largestParts: Array<{ name: string; bytes: number }>;
}

export interface ColdStartResult {
  runs: number;
  bundles: ColdStartBundle[];
}

interface BundleSpec {
  name: string;
  description: string;
  /** The Lambda entry (TypeScript source). */
  entry: string;
  /** The bundle. */
  file: string;
  /** UserParameters of a one-poll action on `url`. */
  userParameters(url: string): string;
}

/**
 * Bundles each handler like the handlers package does (esbuild, minified ESM),
 * then imports and invokes each once in fresh Node processes, alternating.
 */
export async function measureColdStart(env: BenchEnv): Promise<ColdStartResult> {
  const outDir = join(repoRoot, 'bench', 'dist', 'cold-start');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const specs = await buildBundles(outDir, env);
  const samples = specs.map(() => ({
    importMs: [] as number[],
    invokeMs: [] as number[],
    coldMs: [] as number[],
    processMs: [] as number[],
    timed: [] as TimedRun[],
    failures: 0,
  }));
  const runs = env.config.coldStartRuns;
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < specs.length; k++) {
      const index = (i + k) % specs.length;
      const spec = specs[index] as BundleSpec;
      const sample = samples[index] as (typeof samples)[number];
      const actionId = `cold-${spec.name}-${i}-${randomUUID().slice(0, 8)}`;
      const url = new URL(`/status/${actionId}?after=1`, env.fixtures.statusEndpoint).toString();
      const job = await env.fixtures.createJob({ userParameters: spec.userParameters(url) });
      const started = performance.now();
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', COLD_SCRIPT], {
        env: coldEnv(env, spec.file, job.event),
        maxBuffer: 16 * 1024 * 1024,
      });
      sample.processMs.push(performance.now() - started);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (!line) throw new Error(`cold start of ${spec.name}: no result line in\n${stdout}`);
      const measured = JSON.parse(line.slice(RESULT_MARKER.length)) as TimedRun;
      sample.timed.push(measured);
      sample.importMs.push(measured.importMs);
      sample.invokeMs.push(measured.invokeMs);
      sample.coldMs.push(measured.importMs + measured.invokeMs);
      const result = await env.fixtures.result({ jobId: job.jobId });
      if (result?.kind !== 'success' || result.continuationToken !== undefined)
        sample.failures += 1;
    }
  }
  const bundles: ColdStartBundle[] = [];
  for (const [k, spec] of specs.entries()) {
    const code = await readFile(spec.file);
    const sample = samples[k] as (typeof samples)[number];
    bundles.push({
      name: spec.name,
      description: spec.description,
      bytes: code.length,
      gzipBytes: gzipSync(code, { level: 9 }).length,
      importMs: median(sample.importMs),
      firstInvokeMs: median(sample.invokeMs),
      coldMs: median(sample.coldMs),
      processMs: median(sample.processMs),
      pieces: coldStartPieces(sample.timed),
      runs: sample.importMs.length,
      failures: sample.failures,
      largestParts: (await composition(spec.entry)).slice(0, 4),
    });
  }
  return { runs, bundles };
}

/**
 * The largest contributors to a bundle, by package: esbuild's metafile of the
 * same build, not written. The AWS SDK's many packages count as one.
 */
async function composition(entry: string): Promise<Array<{ name: string; bytes: number }>> {
  const { metafile } = await build({
    ...LAMBDA_BUNDLE_OPTIONS,
    entryPoints: [entry],
    outfile: 'out.mjs',
    write: false,
    metafile: true,
    // Input paths relative to the repository: packages/core/..., bench/..., node_modules/...
    absWorkingDir: repoRoot,
  });
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const name = packageOf(path);
      bytes.set(name, (bytes.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...bytes.entries()]
    .map(([name, b]) => ({ name, bytes: b }))
    .sort((a, b) => b.bytes - a.bytes);
}

function packageOf(path: string): string {
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules >= 0) {
    const parts = path.slice(inModules + 'node_modules/'.length).split('/');
    const name = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
    return /^@(aws-sdk|smithy|aws-crypto)\//.test(name) || name === 'tslib' ? 'AWS SDK' : name;
  }
  const workspace = /(?:^|\/)(packages\/([^/]+)|bench)\//.exec(path);
  if (workspace) return workspace[2] ? `@baton/${workspace[2]}` : '@baton/bench';
  return path;
}

const RESULT_MARKER = 'BENCH_COLD_START ';

// Runs in the fresh process: import the bundle, invoke it once, print the timings.
const COLD_SCRIPT = `${REQUEST_TIMING_SCRIPT}
const t0 = performance.now();
const { handler } = await import(process.env.BENCH_BUNDLE_URL);
const t1 = performance.now();
const deadline = Date.now() + 60000;
await handler(JSON.parse(process.env.BENCH_EVENT), {
  awsRequestId: crypto.randomUUID(), functionName: 'bench-cold', functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench-cold',
  memoryLimitInMB: '1024', logGroupName: 'bench', logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: false, getRemainingTimeInMillis: () => deadline - Date.now(),
});
const t2 = performance.now();
await new Promise((resolve) => setImmediate(resolve));
console.log('${RESULT_MARKER}' + JSON.stringify({ importMs: t1 - t0, invokeMs: t2 - t1, requests: ${REQUESTS_SINCE_SCRIPT('t1')}, gcPauses: ${GC_PAUSES_SINCE_SCRIPT('t1')} }));
process.exit(0);
`;

/** Only what a Lambda function would have: no inherited NODE_OPTIONS or loaders. */
function coldEnv(env: BenchEnv, file: string, event: unknown): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: env.ddb.endpoint,
    AWS_ENDPOINT_URL_CODEPIPELINE: env.fixtures.codePipelineEndpoint,
    AWS_LAMBDA_FUNCTION_NAME: 'bench-cold',
    BATON_TABLE_NAME: env.batonTable,
    // The status fixture listens on loopback, which @baton/handlers refuses by default.
    BATON_HTTP_ALLOW_LOOPBACK: '1',
    IDEMPOTENCY_TABLE_NAME: env.powertoolsTable,
    BENCH_BUNDLE_URL: pathToFileURL(file).href,
    BENCH_EVENT: JSON.stringify(event),
  };
}

async function buildBundles(outDir: string, env: BenchEnv): Promise<BundleSpec[]> {
  // The status answers at the first poll (`after=1`), so the interval is never
  // waited; wait-for-http accepts no interval under 1 s.
  const pollParams = (url: string) =>
    JSON.stringify({ url, intervalSeconds: Math.max(1, env.config.intervalSeconds) });
  // The handlers package's own script builds its shipped Lambda entry.
  const handlersScript = join(repoRoot, 'packages', 'handlers', 'scripts', 'bundle.mjs');
  await run(process.execPath, [
    handlersScript,
    '--out-dir',
    join(outDir, 'handlers'),
    'wait-for-http',
  ]);
  const specs: BundleSpec[] = [
    {
      name: 'baton-poll',
      description: 'the polling action with Baton (bench/src/entries/baton-poll.ts)',
      entry: join(here, 'entries', 'baton-poll.ts'),
      file: join(outDir, 'baton-poll', 'index.mjs'),
      userParameters: pollParams,
    },
    {
      // What Baton's default logs, metrics and tracing cost the first invocation.
      name: 'baton-poll-quiet',
      description:
        'the same with logs at WARN, metrics and tracing off (bench/src/entries/baton-poll-quiet.ts)',
      entry: join(here, 'entries', 'baton-poll-quiet.ts'),
      file: join(outDir, 'baton-poll-quiet', 'index.mjs'),
      userParameters: pollParams,
    },
    {
      name: 'bare-poll',
      description: 'the polling action, AWS-sample style (bench/src/entries/bare-poll.ts)',
      entry: join(here, 'entries', 'bare-poll.ts'),
      file: join(outDir, 'bare-poll', 'index.mjs'),
      userParameters: pollParams,
    },
    {
      name: 'powertools-poll',
      description:
        'the polling action with Powertools idempotency (bench/src/entries/powertools-poll.ts)',
      entry: join(here, 'entries', 'powertools-poll.ts'),
      file: join(outDir, 'powertools-poll', 'index.mjs'),
      userParameters: pollParams,
    },
    {
      name: 'wait-for-http',
      description: "@baton/handlers' shipped wait-for-http entry (its bundle script)",
      entry: join(repoRoot, 'packages', 'handlers', 'src', 'lambda', 'wait-for-http.ts'),
      file: join(outDir, 'handlers', 'wait-for-http', 'index.mjs'),
      userParameters: (url) =>
        JSON.stringify({ url, successWhen: { path: 'status', equals: 'SUCCEEDED' } }),
    },
  ];
  // The same action built from another checkout (the code before a change), to compare in one run.
  const baseline = process.env.BENCH_BASELINE_DIR;
  if (baseline) {
    specs.push({
      name: 'baton-poll-before',
      description: `the polling action with Baton as of ${process.env.BENCH_BASELINE_LABEL ?? baseline}`,
      entry: join(baseline, 'bench', 'src', 'entries', 'baton-poll.ts'),
      file: join(outDir, 'baton-poll-before', 'index.mjs'),
      userParameters: pollParams,
    });
  }
  for (const spec of specs) {
    if (spec.name === 'wait-for-http') continue;
    await build({ ...LAMBDA_BUNDLE_OPTIONS, entryPoints: [spec.entry], outfile: spec.file });
  }
  return specs;
}
