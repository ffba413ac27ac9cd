/**
 * Runs the real `cdk synth` (the aws-cdk CLI) on this app, offline: the
 * ready-made bundle is uploaded as is, the user's job is bundled by the local
 * esbuild, and cdk-nag's AwsSolutions rules run as a validation plugin, so an
 * unacknowledged finding fails the synth.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const cdkBin = join(appDir, 'node_modules', 'aws-cdk', 'bin', 'cdk');

interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

interface ValidationReport {
  pluginReports: Array<{
    pluginName: string;
    conclusion: string;
    violations: unknown[];
    suppressedViolations: Array<{ ruleName: string; reason: string }>;
  }>;
}

// About 20 s of CPU (the app, esbuild, cdk-nag): a generous ceiling for a busy machine.
const SYNTH_TIMEOUT_MS = 600_000;

describe('examples/cdk-pipeline', () => {
  it('synthesizes with the cdk CLI, offline, cdk-nag AwsSolutions passing', {
    timeout: SYNTH_TIMEOUT_MS,
  }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'baton-cdk-out-'));
    await promisify(execFile)(
      process.execPath,
      [cdkBin, 'synth', '--no-notices', '--quiet', '--output', out],
      {
        cwd: appDir,
        env: {
          ...process.env,
          // The app command (`tsx src/app.ts`) and esbuild come from the app's node_modules.
          PATH: `${join(appDir, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`,
          CDK_DISABLE_VERSION_CHECK: 'true',
          CDK_DISABLE_CLI_TELEMETRY: 'true',
        },
        maxBuffer: 64 * 1024 * 1024,
      },
    );

    const report = JSON.parse(
      readFileSync(join(out, 'validation-report.json'), 'utf8'),
    ) as ValidationReport;
    const nag = report.pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions');
    expect(nag?.conclusion).toBe('success');
    expect(nag?.violations).toEqual([]);
    for (const acknowledged of nag?.suppressedViolations ?? []) {
      expect(acknowledged.reason.length, acknowledged.ruleName).toBeGreaterThan(40);
    }

    const template = JSON.parse(
      readFileSync(join(out, 'BatonPipeline.template.json'), 'utf8'),
    ) as Template;
    const ofType = (type: string) =>
      Object.values(template.Resources).filter((resource) => resource.Type === type);
    const functions = ofType('AWS::Lambda::Function').map((f) => f.Properties);
    // The two jobs' functions and the sweep's.
    expect(functions).toHaveLength(3);
    for (const fn of functions) {
      expect(fn).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
    }
    expect(ofType('AWS::DynamoDB::Table')).toHaveLength(1);
    expect(ofType('AWS::Lambda::EventInvokeConfig')).toHaveLength(2);
    // Four on each function, two on its runs, two on the sweep.
    expect(ofType('AWS::CloudWatch::Alarm')).toHaveLength(14);
    expect(ofType('AWS::Events::Rule').map((rule) => rule.Properties.ScheduleExpression)).toEqual([
      'rate(15 minutes)',
    ]);
    expect(ofType('AWS::CloudWatch::Dashboard')).toHaveLength(1);
    const [pipeline] = ofType('AWS::CodePipeline::Pipeline');
    const stages = pipeline?.Properties.Stages as Array<{
      Name: string;
      Actions: Array<{ Name: string; ActionTypeId: { Provider: string } }>;
    }>;
    expect(
      stages.map((stage) => [stage.Name, stage.Actions.map((a) => a.ActionTypeId.Provider)]),
    ).toEqual([
      ['Source', ['S3']],
      ['Verify', ['Lambda']],
      ['Release', ['Lambda']],
    ]);
  });
});
