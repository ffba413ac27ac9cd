// `pnpm --filter @baton/bench runs-list`: seeds 100,000 runs into a DynamoDB Local
// table and times `baton runs list` on it; writes section 6 of BENCHMARKS.md
// (BENCH_OUT to write elsewhere, BENCH_RUNS for another number of runs).
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTable, DynamoDBRunStore } from '@baton/core';
import { startDynamoDBLocal } from '@baton/testing';
import { measureRunsList } from './measure-runs-list.js';
import { renderRunsListSection, withRunsListSection } from './report-section.js';
import { DEFAULT_SEED_PLAN, seedRuns } from './seed-runs.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const out = resolve(repoRoot, process.env.BENCH_OUT ?? 'BENCHMARKS.md');
const runs = Number(process.env.BENCH_RUNS ?? DEFAULT_SEED_PLAN.runs);
const tableName = 'bench-runs-list';

const ddb = await startDynamoDBLocal();
try {
  // The CLI reads the endpoint the AWS SDK's standard way.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  await createTable(ddb.client, tableName);
  process.stderr.write(`bench: seeding ${runs} runs into ${tableName} at ${ddb.endpoint}…\n`);
  const seeded = await seedRuns(ddb.client, tableName, { ...DEFAULT_SEED_PLAN, runs }, Date.now());
  process.stderr.write(`bench: seeded ${seeded.items} items in ${seeded.seconds.toFixed(1)} s\n`);
  const sample = await new DynamoDBRunStore({ tableName, client: ddb.client }).getRun(
    seeded.sampleRunId,
  );
  if (sample?.history.length !== DEFAULT_SEED_PLAN.historyPerRun) {
    throw new Error(
      'the seeded items do not read back as a run with its history: the layout changed',
    );
  }
  const figures = await measureRunsList(ddb.client, tableName);
  const section = renderRunsListSection({
    command: `pnpm --filter @baton/bench runs-list${runs === DEFAULT_SEED_PLAN.runs ? '' : ` (BENCH_RUNS=${runs})`}`,
    date: new Date().toISOString(),
    seeded,
    figures,
    loadAverage: os.loadavg()[0] ?? 0,
  });
  const existing = await readFile(out, 'utf8').catch(() => '# Benchmarks\n');
  await writeFile(out, withRunsListSection(existing, section));
  process.stderr.write(`bench: wrote section 6 of ${out}\n`);
} finally {
  await ddb.stop();
}
