/**
 * The root README's "A complete job" shows `examples/wait-for-version.ts`:
 * this test keeps the two identical, and runs that very file, unchanged (its
 * default `createLambdaHandler` options included), through the emulator.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { formatTimelineEvent, startCodePipelineEmulator } from '@baton/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acceptedReports,
  createTestbed,
  type ReportBody,
  runIdOf,
} from '../support/baton-action.js';

const readmePath = fileURLToPath(new URL('../../README.md', import.meta.url));
const examplePath = fileURLToPath(new URL('../../examples/wait-for-version.ts', import.meta.url));

/** The first TypeScript block under the README heading `## A complete job`. */
function completeJobBlock(readme: string): string {
  const section = readme.split(/^## A complete job$/m)[1]?.split(/^## /m)[0];
  if (section === undefined) throw new Error('README.md has no "## A complete job" section');
  const block = /^```ts\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (block === undefined) throw new Error('"## A complete job" has no ```ts block');
  return block;
}

/**
 * A health endpoint that reports `versions` one answered GET after the other,
 * then the last one forever. The first `hang` GETs get no answer at all.
 */
async function startHealthEndpoint(versions: string[], hang = 0) {
  let gets = 0;
  let hung = 0;
  const server: Server = createServer((request, response) => {
    if (request.url !== '/health') {
      response.writeHead(404).end();
      return;
    }
    if (hung < hang) {
      hung += 1;
      return;
    }
    const version = versions[Math.min(gets, versions.length - 1)];
    gets += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: 'UP', version }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/health`,
    /** Answered GETs. */
    gets: () => gets,
    /** GETs that got no answer. */
    hung: () => hung,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the README example', () => {
  it('README.md shows examples/wait-for-version.ts byte for byte', () => {
    const block = completeJobBlock(readFileSync(readmePath, 'utf8'));
    expect(Buffer.from(block, 'utf8').equals(readFileSync(examplePath))).toBe(true);
    // The same comparison as text, for a readable diff when it fails.
    expect(block).toBe(readFileSync(examplePath, 'utf8'));
  });

  it('waits through continuations until the health endpoint reports the new version', async () => {
    const health = await startHealthEndpoint(['1.4.1', '1.4.1', '1.4.2']);
    cleanups.push(health.stop);
    const testbed = await createTestbed('readme');
    // The example keeps its default options (retryTakeoverAfterMs included):
    // nothing here crashes, so no Lambda retry has to take a lease over. At a time
    // scale of 1/20 the next job comes 31 pipeline seconds (1.55 s) after a
    // continuation, after the 1.3 s wait is over.
    const emulator = await startCodePipelineEmulator({ timeScale: 1 / 20 });
    cleanups.push(() => emulator.stop());

    const result = await emulator.runLambdaAction({
      handler: `${examplePath}#handler`,
      environment: testbed.environment,
      userParameters: { url: health.url, version: '1.4.2', intervalSeconds: 1.3 },
      // Of 3 s per invocation Baton keeps 0.75 s for commit and report and sleeps
      // a wait inside the invocation only with 1 s to spare after it: a 1.3 s wait
      // never fits after a check, so each check gets a job of its own.
      functionTimeoutMs: 3000,
      onEvent: (e) => process.env.SHOW_TIMELINE && console.log(formatTimelineEvent(e)),
    });

    expect(result.status).toBe('Succeeded');
    expect(result.outputVariables).toEqual({ version: '1.4.2' });
    expect(health.gets()).toBe(3);
    expect(result.jobs).toHaveLength(3);
    expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
      'j1-d1-a1 returned',
      'j2-d1-a1 returned',
      'j3-d1-a1 returned',
    ]);
    const runId = runIdOf(result);
    expect(acceptedReports(result).map((r) => (r.request as ReportBody).executionDetails)).toEqual([
      {
        summary: 'live version is 1.4.1, waiting for 1.4.2',
        percentComplete: 0,
        externalExecutionId: runId,
      },
      {
        summary: 'live version is 1.4.1, waiting for 1.4.2',
        percentComplete: 1,
        externalExecutionId: runId,
      },
      { summary: 'version 1.4.2 is live', percentComplete: 100, externalExecutionId: runId },
    ]);
    const stored = await testbed.store.getRun(runId);
    expect(stored?.run).toMatchObject({ jobName: 'wait-for-version', status: 'succeeded' });
    expect(JSON.parse(stored?.run.stateJson ?? '{}')).toEqual({ checks: 2, lastSeen: '1.4.1' });
  });

  it('plays unchanged at 1/1000 with a crash and a duplicate, each check made once', async () => {
    // The first GET hangs: the first attempt is still inside its step, holding
    // the run's lease, when it is killed.
    const health = await startHealthEndpoint(['1.4.1', '1.4.1', '1.4.2'], 1);
    cleanups.push(health.stop);
    const testbed = await createTestbed('readme-fast');
    const emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 });
    cleanups.push(() => emulator.stop());

    // Everything at its default: 30 s between checks, a 30 s function timeout,
    // Lambda's retry a minute after the crash, the engine's 50 s take-over age.
    const result = await emulator.runLambdaAction({
      handler: `${examplePath}#handler`,
      environment: testbed.environment,
      userParameters: { url: health.url, version: '1.4.2' },
      faults: [
        { kind: 'cut-off', at: { afterMs: 1500 }, when: { sequence: 1, attempt: 1 } },
        { kind: 'duplicate-delivery', mode: 'sequential', when: { sequence: 2 } },
      ],
      failOnUnfiredFaults: true,
      onEvent: (e) => process.env.SHOW_TIMELINE && console.log(formatTimelineEvent(e)),
    });

    expect(result.status).toBe('Succeeded');
    expect(result.outputVariables).toEqual({ version: '1.4.2' });
    expect(health.hung()).toBe(1);
    expect(health.gets()).toBe(3);
    expect(result.invocations.map((i) => `${i.invocationId} ${i.outcome.kind}`)).toEqual([
      'j1-d1-a1 crashed',
      'j1-d1-a2 returned',
      'j2-d1-a1 returned',
      'j2-d2-a1 returned',
      'j3-d1-a1 returned',
    ]);
    expect(result.faults.map((f) => [f.fault.kind, f.strikes.map((s) => s.invocationId)])).toEqual([
      ['cut-off', ['j1-d1-a1']],
      ['duplicate-delivery', ['j2-d2-a1']],
    ]);
    const runId = runIdOf(result);
    // One accepted report per job, the duplicate's re-sent one refused.
    expect(
      acceptedReports(result).map((r) => (r.request as ReportBody).executionDetails?.summary),
    ).toEqual([
      'live version is 1.4.1, waiting for 1.4.2',
      'live version is 1.4.1, waiting for 1.4.2',
      'version 1.4.2 is live',
    ]);
    const stored = await testbed.store.getRun(runId);
    expect(stored?.run).toMatchObject({ jobName: 'wait-for-version', status: 'succeeded' });
    expect(JSON.parse(stored?.run.stateJson ?? '{}')).toEqual({ checks: 2, lastSeen: '1.4.1' });
    // Two waits of 30 s and two continuations, in pipeline time.
    expect(result.pipelineMs).toBeGreaterThan(2 * 30_000);
  });
});
