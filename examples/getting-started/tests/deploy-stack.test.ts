/**
 * The guide's stack synthesizes: the run table, the job's function (its code
 * bundled from src/deploy-job.ts by esbuild) and the pipeline's Deploy action
 * with the user parameters the job's schema accepts.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { expect, it } from 'vitest';
import { DeployJobStack } from '../cdk/deploy-stack.js';

it('synthesizes the pipeline, the table and the bundled job', () => {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'baton-getting-started-')) });
  const stack = new DeployJobStack(app, 'DeployJob');
  const template = Template.fromStack(stack);

  template.resourceCountIs('AWS::DynamoDB::Table', 1);
  template.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs24.x',
    Handler: 'index.handler',
  });
  template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
    Stages: Match.arrayWith([
      Match.objectLike({
        Name: 'Deploy',
        Actions: [
          Match.objectLike({
            ActionTypeId: Match.objectLike({ Provider: 'Lambda' }),
            Configuration: Match.objectLike({
              UserParameters: '{"apiUrl":"https://deploy.example.com","version":"1.4.2"}',
            }),
          }),
        ],
      }),
    ]),
  });

  // The function's code is the job, bundled: find its asset in the cloud assembly.
  const assembly = app.synth();
  const manifest = JSON.parse(
    readFileSync(join(assembly.directory, 'DeployJob.assets.json'), 'utf8'),
  ) as { files: Record<string, { source: { path: string; packaging?: string } }> };
  const bundles = Object.values(manifest.files)
    .filter((file) => file.source.packaging === 'zip')
    .map((file) => readFileSync(join(assembly.directory, file.source.path, 'index.mjs'), 'utf8'));
  expect(bundles.some((code) => code.includes('idempotency-key'))).toBe(true);
}, 120_000); // loading aws-cdk-lib and bundling with esbuild take seconds of CPU
