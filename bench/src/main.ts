// `pnpm bench`: measures Baton against a bare handler and Powertools idempotency
// and writes BENCHMARKS.md (BENCH_OUT to write elsewhere; BENCH_QUICK=1 for a smoke run).
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchEnv } from './bench-env.js';
import { measureColdStart } from './cold-start.js';
import { readConfig } from './config.js';
import { measureDuplicates } from './duplicates.js';
import { measureLatency } from './latency.js';
import { describeMachine } from './machine.js';
import { measureObservability } from './observability.js';
import { renderReport } from './report.js';
import { measureRequestCounts } from './request-counts.js';
import { measureRequestShapes } from './request-shapes.js';
import { runsListSectionOf, withRunsListSection } from './runs-list/report-section.js';
import { measureScale } from './scale.js';
import { measureWriteUnits } from './write-units.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const config = readConfig();
const out = resolve(repoRoot, process.env.BENCH_OUT ?? 'BENCHMARKS.md');
const command = config.quick ? 'BENCH_QUICK=1 pnpm bench' : 'pnpm bench';
const started = performance.now();
const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
  const t = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  const result = await run();
  process.stderr.write(`bench: ${name} done in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  return result;
};

const env = await step('starting DynamoDB Local and the emulator', () => startBenchEnv(config));
try {
  const machine = await describeMachine(env.ddb);
  const requestCounts = await step('requests per invocation', () => measureRequestCounts(env));
  for (const row of requestCounts) {
    if (row.pass !== undefined) {
      process.stderr.write(
        `  ${row.pass ? 'PASS' : 'FAIL'} ${row.scenario}: ${row.dynamo} DynamoDB, ${row.codePipeline} CodePipeline, ${row.polls} polls\n`,
      );
    }
  }
  const latency = await step('latency and CPU, round-robin', () => measureLatency(env));
  const writeUnits = await step('write units', () => measureWriteUnits(env));
  const requestShapes = await step('request shapes', () => measureRequestShapes(env));
  const duplicates = await step('duplicate deliveries', () => measureDuplicates(env));
  const coldStart = await step('cold start', () => measureColdStart(env));
  const scale = await step('scale', () => measureScale(env));
  const observability = await step('metrics and tracing overhead', () => measureObservability(env));
  const report = renderReport({
    config,
    machine,
    command,
    elapsedSeconds: (performance.now() - started) / 1000,
    loadAverageEnd: os.loadavg()[0] ?? 0,
    requestCounts,
    latency,
    writeUnits,
    requestShapes,
    duplicates,
    coldStart,
    scale,
    observability,
  });
  // Section 5 comes from `pnpm --filter @baton/bench runs-list` (it seeds 100,000 runs): keep it.
  const runsList = runsListSectionOf(await readFile(out, 'utf8').catch(() => ''));
  await writeFile(out, runsList ? withRunsListSection(report, runsList) : report);
  process.stderr.write(`bench: wrote ${out}\n`);
} finally {
  await env.stop();
}
