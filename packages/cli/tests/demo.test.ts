import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_SETTINGS, runDemo } from '../src/demo/run-demo.js';
import { useLocalDynamoDB } from './cli-harness.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the demo', () => {
  it('plays deploy-and-wait to success through a real crash and a duplicate delivery, without printing credentials', async () => {
    // DynamoDB Local comes from AWS_ENDPOINT_URL_DYNAMODB here (the test run's);
    // `pnpm demo` starts its own. A pipeline minute takes 3 s: the fastest time
    // scale at which every 1.5 s wait ends before the next job arrives.
    useLocalDynamoDB();
    const { action, starts, deployments, run, output } = await runDemo({
      out: { write: () => true },
      timeScale: DEMO_SETTINGS.timeScale,
    });

    expect(action.status).toBe('Succeeded');
    // The worker running job 1 was killed for real, and Lambda's retry carried on.
    expect(action.invocations[0]).toMatchObject({
      invocationId: 'j1-d1-a1',
      outcome: { kind: 'crashed', reason: expect.stringContaining('cut off by fault') },
    });
    expect(action.invocations.map((invocation) => invocation.invocationId)).toContain('j1-d1-a2');
    // Job 2's event came twice; the second delivery ran no step and left the
    // report to the invocation that committed job 2.
    const duplicate = action.invocations.find(
      (invocation) => invocation.invocationId === 'j2-d2-a1',
    );
    expect(duplicate?.outcome).toMatchObject({
      kind: 'returned',
      value: { kind: 'in-progress', stepsRun: 0 },
    });
    // One deployment, whatever the crash interrupted: the retry used the same Idempotency-Key.
    expect(starts.created).toBe(1);
    expect(deployments).toEqual([expect.objectContaining({ status: 'SUCCEEDED', statusReads: 4 })]);
    expect(action.outputVariables).toMatchObject({
      deploymentId: deployments[0]?.id,
      polls: '4',
      matchedValue: '"SUCCEEDED"',
    });
    // The run as stored, with its history.
    expect(run?.run.status).toBe('succeeded');
    const entries = run?.history.flatMap((record) => record.entries) ?? [];
    expect(entries.at(-1)).toMatchObject({ step: 'poll', outcome: 'succeed' });
    expect(entries.filter((entry) => entry.outcome === 'wait')).toHaveLength(3);

    // What it printed: the story, the outcome and the stored history …
    expect(output).toMatch(/j1-d1-a1 +✖ crashed: cut off by fault/);
    expect(output).toMatch(
      /j2-d2-a1 +▶ invoked in container c\d+ — a duplicate delivery of the event/,
    );
    expect(output).toMatch(
      /j2-d2-a1 +■ returned: a duplicate of a job another invocation is running or reporting: returned quietly/,
    );
    expect(output).toMatch(/◀ PutJobSuccessResult accepted\n +\[█{5}░{15}\] +25% +poll 1/);
    expect(output).toMatch(/outcome: Succeeded after \d+ jobs and \d+ invocations/);
    expect(output).toContain('deployment service: 1 deployment created');
    expect(output).toContain(
      'the run as stored in DynamoDB (table baton-demo), read back with one query:',
    );
    expect(output).toMatch(/history \(\d+ committed invocations\):/);
    // … and never a credential of any job, nor a full continuation token.
    for (const job of action.jobs) {
      for (const secret of Object.values(job.artifactCredentials)) {
        if (typeof secret === 'string') expect(output).not.toContain(secret);
      }
      if (job.continuationToken) expect(output).not.toContain(job.continuationToken);
    }
  }, 60_000);
});
