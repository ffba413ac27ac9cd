import { fileURLToPath } from 'node:url';
import { BatonDashboard, BatonFunction, BatonHandler, BatonSweep, BatonTable } from '@baton/cdk';
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

// Your own job: a module that exports `handler = createLambdaHandler(job)`.
const waitForVersion = fileURLToPath(new URL('../../wait-for-version.ts', import.meta.url));

/** A pipeline whose deploy is verified by two Baton actions. */
export class PipelineStack extends Stack {
  public readonly pipeline: codepipeline.Pipeline;
  public readonly batonFunctions: BatonFunction[];

  public constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Where alarms go (encrypted; subscribe your on-call to it).
    const alarms = new sns.Topic(this, 'Alarms', {
      masterKey: new kms.Key(this, 'AlarmsKey', { enableKeyRotation: true }),
      enforceSSL: true,
    });

    // One run table for every Baton action of the account and region.
    const table = new BatonTable(this, 'Runs');

    // A ready-made job: polls a URL until a condition holds.
    const waitForHealth = new BatonFunction(this, 'WaitForHealth', {
      table,
      handler: BatonHandler.waitForHttp(),
      alarms: { topic: alarms },
    });

    // Your own job, bundled with esbuild at synth.
    const versionCheck = new BatonFunction(this, 'WaitForVersion', {
      table,
      // jobName: the job definition's name, which names its metrics (run alarms, dashboard).
      handler: BatonHandler.fromEntry(waitForVersion, { jobName: 'wait-for-version' }),
      alarms: { topic: alarms },
    });

    // Every 15 minutes, marks abandoned the runs CodePipeline gave up on.
    const sweep = new BatonSweep(this, 'Sweep', { table, alarms: { topic: alarms } });
    new BatonDashboard(this, 'Dashboard', { functions: [waitForHealth, versionCheck], sweep });

    const logs = new s3.Bucket(this, 'AccessLogs', {
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    });
    const bucket = (id: string, prefix: string) =>
      new s3.Bucket(this, id, {
        versioned: true,
        enforceSSL: true,
        encryption: s3.BucketEncryption.S3_MANAGED,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        serverAccessLogsBucket: logs,
        serverAccessLogsPrefix: prefix,
      });
    const sourceBucket = bucket('Source', 'source/');
    const source = new codepipeline.Artifact('Source');

    this.batonFunctions = [waitForHealth, versionCheck];
    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineType: codepipeline.PipelineType.V2,
      artifactBucket: bucket('Artifacts', 'artifacts/'),
      stages: [
        {
          stageName: 'Source',
          actions: [
            new actions.S3SourceAction({
              actionName: 'Source',
              bucket: sourceBucket,
              bucketKey: 'release.zip',
              output: source,
            }),
          ],
        },
        {
          stageName: 'Verify',
          actions: [
            waitForHealth.action({
              actionName: 'Healthy',
              variablesNamespace: 'Health',
              userParameters: {
                url: 'https://api.example.com/health',
                successWhen: { path: 'status', equals: 'UP' },
                intervalSeconds: 30,
                timeoutSeconds: 900,
              },
            }),
          ],
        },
        {
          stageName: 'Release',
          actions: [
            versionCheck.action({
              actionName: 'VersionLive',
              inputs: [source],
              userParameters: { url: 'https://api.example.com/health', version: '1.4.2' },
            }),
          ],
        },
      ],
    });
  }
}
