import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DeploymentService, startDeploymentService } from '@baton/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/run-cli.js';
import type { CliRun } from './cli-harness.js';
import {
  baton,
  DEPLOY_AND_WAIT_HANDLER,
  uniqueTableName,
  useLocalDynamoDB,
} from './cli-harness.js';

// The local loop without Docker: a sample event, UserParameters on the
// command line, the default table shared with `baton runs`, warnings for
// faults that never fired, a rejected job named as a job, and --keep.

let service: DeploymentService;

beforeAll(async () => {
  useLocalDynamoDB();
  service = await startDeploymentService({ stepsToSucceed: 1 });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await service?.stop();
});

const params = () =>
  JSON.stringify({
    deployUrl: `${service.url}/deployments`,
    statusUrl: `${service.url}/deployments/{id}`,
    intervalSeconds: 1,
  });

describe('baton event', () => {
  it('writes a sample event whose UserParameters are the JSON given, as CodePipeline sends them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-event-'));
    const file = join(dir, 'event.json');
    const written = await baton(['event', '--user-parameters', params(), '--out', file]);
    expect(written.code).toBe(0);
    expect(written.stdout).toContain(
      `wrote ${file}; play it with: baton local --handler <module#export> --event ${file}`,
    );
    const event = JSON.parse(await readFile(file, 'utf8')) as {
      'CodePipeline.job': {
        id: string;
        data: { actionConfiguration: { configuration: Record<string, string> } };
      };
    };
    const configuration = event['CodePipeline.job'].data.actionConfiguration.configuration;
    expect(configuration.UserParameters).toBe(params());
    expect(configuration.FunctionName).toBe('my-function');
    expect(JSON.stringify(event)).not.toContain('artifactCredentials');

    const table = uniqueTableName('cli-event');
    const played = await baton([
      'local',
      ...['--handler', DEPLOY_AND_WAIT_HANDLER, '--event', file, '--table', table],
      ...['--time-scale', '1/1000'],
    ]);
    expect(played.code).toBe(0);
    expect(played.stdout).toContain('outcome: Succeeded');

    const stdout = await baton(['event']);
    expect(
      JSON.parse(stdout.stdout)['CodePipeline.job'].data.actionConfiguration.configuration,
    ).toEqual({ FunctionName: 'my-function', UserParameters: '{"KEY": "VALUE"}' });
    const bad = await baton(['event', '--user-parameters', '{url: x}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--user-parameters is not JSON');
  });
});

describe('baton local --user-parameters, then baton runs on the default table', () => {
  it('plays without an event file into baton-local, which runs list and runs show read by default', async () => {
    const played = await baton([
      'local',
      ...['--handler', DEPLOY_AND_WAIT_HANDLER, '--user-parameters', params()],
      ...['--time-scale', '1/1000', '--duplicate', '5'],
    ]);
    expect(played.code).toBe(0);
    expect(played.stdout).toContain('table baton-local');
    // The action had fewer jobs than the duplicate asked for: said, not hidden.
    expect(played.stderr).toMatch(
      /^warning: fault never fired: job 5 delivered twice \(the action had \d jobs?, no job 5\)$/m,
    );
    const runId = /^run ([0-9a-f]{32})$/m.exec(played.stdout)?.[1] as string;
    expect(runId).toBeDefined();

    const list = await baton(['runs', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^table baton-local at /);
    expect(list.stdout).toContain(runId);
    // The short id the timeline printed in its continuation tokens or reports.
    const show = await baton(['runs', 'show', `${runId.slice(0, 8)}…`]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(new RegExp(`^run ${runId}\n`));
  });

  it('names the job, not a run, when the handler rejected the first job before a run started', async () => {
    const table = uniqueTableName('cli-rejected');
    const played = await baton([
      'local',
      ...['--handler', DEPLOY_AND_WAIT_HANDLER, '--user-parameters', '{"deployUrl": 5}'],
      ...['--table', table, '--time-scale', '1/1000'],
    ]);
    expect(played.code).toBe(1);
    expect(played.stdout).toContain('failure: ConfigurationError: ');
    expect(played.stdout).toMatch(
      new RegExp(
        `no run was stored in table ${table}: the handler never started a Baton run for job 1 \\(job id [0-9a-f-]{36}\\)`,
      ),
    );
    expect(played.stdout).not.toMatch(/run [0-9a-f-]{36} is not in table/);
  });
});

describe('baton local --keep', () => {
  it('leaves its DynamoDB Local up with the run until Ctrl-C, and prints how to read it', async () => {
    // Not the test run's DynamoDB Local: this command starts (and keeps) its own.
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', undefined);
    const controller = new AbortController();
    let stdout = '';
    let stderr = '';
    const kept = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (stdout.includes('until Ctrl-C')) {
          clearInterval(check);
          resolve();
        }
      }, 50);
    });
    const running = runCli(
      [
        'local',
        ...['--handler', DEPLOY_AND_WAIT_HANDLER, '--user-parameters', params()],
        ...['--time-scale', '1/1000', '--keep'],
      ],
      {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
        signal: controller.signal,
        now: Date.now,
      },
    );
    let ended: number | undefined;
    void running.then((code) => (ended = code));
    await kept;
    const endpoint = /DynamoDB Local stays up at (http:\/\/127\.0\.0\.1:\d+) until Ctrl-C/.exec(
      stdout,
    )?.[1];
    expect(endpoint).toBeDefined();
    const runId = /^run ([0-9a-f]{32})$/m.exec(stdout)?.[1] as string;
    expect(stdout).toContain(
      `  export AWS_ENDPOINT_URL_DYNAMODB=${endpoint} AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local\n  baton runs list\n  baton runs show ${runId}\n`,
    );
    expect(ended).toBeUndefined();

    // Following the printed commands, in "another shell".
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
    const list: CliRun = await baton(['runs', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(runId);

    controller.abort(new Error('interrupted by SIGINT'));
    expect(await running).toBe(130);
    expect(stderr).toContain('baton local: interrupted');
    // Stopped now: the endpoint no longer answers.
    const after = await baton(['runs', 'list']);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain(`could not reach DynamoDB at ${endpoint}`);
    useLocalDynamoDB();
  }, 180_000);
});
