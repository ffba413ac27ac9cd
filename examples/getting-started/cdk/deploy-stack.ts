import { fileURLToPath } from 'node:url';
import { BatonFunction, BatonHandler, BatonTable } from '@baton/cdk';
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { params } from '../src/deploy-job.js';

const entry = fileURLToPath(new URL('../src/deploy-job.ts', import.meta.url));

/** A pipeline whose Deploy stage runs the deploy job. */
export class DeployJobStack extends Stack {
  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // The run table, and the job's function: bundled from `entry` by esbuild at synth.
    const table = new BatonTable(this, 'Runs');
    const deploy = new BatonFunction(this, 'Deploy', {
      table,
      handler: BatonHandler.fromEntry(entry, { userParametersSchema: params }),
    });

    const source = new codepipeline.Artifact('Source');
    new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineType: codepipeline.PipelineType.V2,
      stages: [
        {
          stageName: 'Source',
          actions: [
            new actions.S3SourceAction({
              actionName: 'Source',
              bucket: new s3.Bucket(this, 'Releases', { versioned: true, enforceSSL: true }),
              bucketKey: 'release.zip',
              output: source,
            }),
          ],
        },
        {
          stageName: 'Deploy',
          actions: [
            // userParameters are checked against the job's schema at synth.
            deploy.action({
              actionName: 'Deploy',
              userParameters: { apiUrl: 'https://deploy.example.com', version: '1.4.2' },
            }),
          ],
        },
      ],
    });
  }
}
