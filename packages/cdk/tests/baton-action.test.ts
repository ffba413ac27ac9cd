import { fileURLToPath } from 'node:url';
import type { Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as codepipelineActions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  BatonFunction,
  BatonHandler,
  BatonTable,
  UserParametersError,
  type WaitForHttpUserParameters,
} from '../src/index.js';
import { actionsOf, roleStatements } from './policy-statements.js';
import { onlyResource, templateOf, testStack } from './test-stack.js';

const greetingEntry = fileURLToPath(new URL('./fixtures/greeting-job.ts', import.meta.url));

/** A pipeline with an S3 source, to which tests add a stage. */
function pipelineStack() {
  const stack = testStack();
  const bucket = new s3.Bucket(stack, 'Source', { versioned: true });
  const source = new codepipeline.Artifact('Source');
  const pipeline = new codepipeline.Pipeline(stack, 'Pipeline', {
    pipelineType: codepipeline.PipelineType.V2,
    stages: [
      {
        stageName: 'Source',
        actions: [
          new codepipelineActions.S3SourceAction({
            actionName: 'Source',
            bucket,
            bucketKey: 'app.zip',
            output: source,
          }),
        ],
      },
    ],
  });
  const table = new BatonTable(stack, 'Runs');
  const check = new BatonFunction(stack, 'Check', { table, handler: BatonHandler.waitForHttp() });
  return { stack, bucket, source, pipeline, table, check };
}

interface PipelineAction {
  Name: string;
  ActionTypeId: Record<string, string>;
  Configuration: Record<string, unknown>;
  InputArtifacts?: Array<{ Name: string }>;
  OutputArtifacts?: Array<{ Name: string }>;
  Namespace?: string;
  RunOrder?: number;
}

function stageActions(stack: Stack, stageName: string): PipelineAction[] {
  const { properties } = onlyResource(templateOf(stack), 'AWS::CodePipeline::Pipeline');
  const stages = properties.Stages as Array<{ Name: string; Actions: PipelineAction[] }>;
  const stage = stages.find((s) => s.Name === stageName);
  if (!stage) throw new Error(`no stage ${stageName}`);
  return stage.Actions;
}

describe('BatonFunction.action', () => {
  it('is a Lambda invoke action with the user parameters as JSON and every setting given', () => {
    const { stack, source, pipeline, check } = pipelineStack();
    const userParameters: WaitForHttpUserParameters = {
      url: 'https://api.example.com/health',
      successWhen: { path: 'status', equals: 'UP' },
      intervalSeconds: 20,
    };
    const output = new codepipeline.Artifact('Checked');
    pipeline.addStage({
      stageName: 'Verify',
      actions: [
        check.action({
          actionName: 'Healthy',
          userParameters,
          inputs: [source],
          outputs: [output],
          variablesNamespace: 'Health',
          runOrder: 2,
        }),
      ],
    });
    const [action] = stageActions(stack, 'Verify');
    expect(action).toEqual({
      Name: 'Healthy',
      ActionTypeId: { Category: 'Invoke', Owner: 'AWS', Provider: 'Lambda', Version: '1' },
      Configuration: {
        FunctionName: { Ref: stack.getLogicalId(check.function.node.defaultChild as never) },
        UserParameters: JSON.stringify(userParameters),
      },
      InputArtifacts: [{ Name: 'Source' }],
      OutputArtifacts: [{ Name: 'Checked' }],
      Namespace: 'Health',
      RunOrder: 2,
      RoleArn: expect.anything(),
    });
  });

  it('leaves one job-result statement on the function role after the action adds its own', () => {
    const { stack, pipeline, check } = pipelineStack();
    pipeline.addStage({
      stageName: 'Verify',
      actions: [check.action({ actionName: 'Healthy', userParameters: { url: 'https://x.dev' } })],
    });
    const roleId = stack.getLogicalId(check.role.node.defaultChild as never);
    const resultStatements = roleStatements(templateOf(stack), roleId).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('codepipeline:')),
    );
    expect(resultStatements).toEqual([
      {
        Action: ['codepipeline:PutJobSuccessResult', 'codepipeline:PutJobFailureResult'],
        Effect: 'Allow',
        Resource: '*',
      },
    ]);
  });

  it('fails synth on a misspelt field of a ready-made job, naming it', () => {
    const { check } = pipelineStack();
    const typo = { url: 'https://api.example.com/health', sucessWhen: { path: 'status' } };
    expect(() =>
      check.action({
        actionName: 'Healthy',
        userParameters: typo as unknown as WaitForHttpUserParameters,
      }),
    ).toThrow(UserParametersError);
    expect(() =>
      check.action({
        actionName: 'Healthy',
        userParameters: typo as unknown as WaitForHttpUserParameters,
      }),
    ).toThrow(/action Healthy: invalid userParameters\n- Unrecognized key: "sucessWhen"/);
  });

  it('names each bad value with the handler schema’s own message', () => {
    const { check } = pipelineStack();
    let error: unknown;
    try {
      check.action({
        actionName: 'Healthy',
        userParameters: { url: 'ftp://example.com', intervalSeconds: -1 },
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserParametersError);
    expect((error as Error).message).toBe(
      [
        'action Healthy: invalid userParameters',
        '- url: url must be an absolute http:// or https:// URL',
        '- intervalSeconds: intervalSeconds must be at least 1',
      ].join('\n'),
    );
  });

  it('fails when a ready-made job gets no user parameters at all', () => {
    const { check } = pipelineStack();
    expect(() => check.action({ actionName: 'Healthy' })).toThrow(UserParametersError);
  });

  it('checks deploy-time values by their literal parts and passes them on as tokens', () => {
    const { stack, bucket, pipeline, check } = pipelineStack();
    const url = `https://${bucket.bucketRegionalDomainName}/health`;
    pipeline.addStage({
      stageName: 'Verify',
      actions: [check.action({ actionName: 'Healthy', userParameters: { url } })],
    });
    const [action] = stageActions(stack, 'Verify');
    expect(JSON.stringify(action?.Configuration.UserParameters)).toContain('RegionalDomainName');
    expect(() =>
      check.action({
        actionName: 'Other',
        userParameters: { url: `ftp://${bucket.bucketRegionalDomainName}/health` },
      }),
    ).toThrow(/url must be an absolute http/);
    // A value that is a token as a whole is unknown until deploy: not checked.
    expect(() =>
      check.action({ actionName: 'Whole', userParameters: { url: bucket.bucketWebsiteUrl } }),
    ).not.toThrow();
  });

  it("checks an entry's user parameters with the schema given, and passes anything without one", () => {
    const stack = testStack();
    const table = new BatonTable(stack, 'Runs');
    const schema = z.object({ url: z.url(), version: z.string().min(1) });
    const own = new BatonFunction(stack, 'Own', {
      table,
      handler: BatonHandler.fromEntry(greetingEntry, { userParametersSchema: schema }),
    });
    expect(() =>
      own.action({ actionName: 'Version', userParameters: { url: 'https://x.dev', version: '' } }),
    ).toThrow(/- version: /);
    const action = own.action({
      actionName: 'Version',
      userParameters: { url: 'https://x.dev', version: '1.4.2' },
    });
    expect(action.actionProperties.actionName).toBe('Version');
    const loose = new BatonFunction(stack, 'Loose', {
      table,
      handler: BatonHandler.fromEntry(greetingEntry),
    });
    expect(() =>
      loose.action({ actionName: 'Anything', userParameters: { whatever: true } }),
    ).not.toThrow();
  });
});
