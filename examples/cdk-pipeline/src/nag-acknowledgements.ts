import type { CfnElement } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import type { PipelineStack } from './pipeline-stack.js';

const iam5 = (finding: string) => `AwsSolutions::AwsSolutions-IAM5[${finding}]`;

/**
 * The AwsSolutions findings this app accepts, each with its reason. Any other
 * finding fails `cdk synth`.
 */
export function acknowledgeExplainedFindings(stack: PipelineStack): void {
  for (const baton of stack.batonFunctions) {
    Validations.of(baton.role).acknowledge({
      id: iam5('Resource::*'),
      reason:
        'codepipeline:PutJobSuccessResult and PutJobFailureResult take no resource-level permissions; every other statement of the role names its resource',
    });
    Validations.of(baton.failureQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        "This queue is the function's on-failure destination: it is where events Lambda gave up on are kept, watched by an alarm",
    });
    const functionId = stack.getLogicalId(baton.function.node.defaultChild as CfnElement);
    Validations.of(stack.pipeline).acknowledge({
      id: iam5(`Resource::<${functionId}.Arn>:*`),
      reason:
        "CDK's LambdaInvokeAction lets the pipeline invoke this one function, its versions and aliases included",
    });
  }
  const artifactsId = stack.getLogicalId(
    stack.pipeline.artifactBucket.node.defaultChild as CfnElement,
  );
  const artifactGrants = [
    'Action::s3:Abort*',
    'Action::s3:DeleteObject*',
    'Action::s3:GetBucket*',
    'Action::s3:GetObject*',
    'Action::s3:List*',
    `Resource::<${artifactsId}.Arn>/*`,
  ];
  for (const finding of artifactGrants) {
    Validations.of(stack.pipeline).acknowledge({
      id: iam5(finding),
      reason:
        "CDK's grants for the pipeline's own artifact bucket: its roles read and write the artifacts under that one bucket",
    });
  }
  Validations.of(stack.pipeline).acknowledge({
    id: iam5('Resource::*'),
    reason:
      "lambda:ListFunctions, which CDK's LambdaInvokeAction grants the pipeline, takes no resource-level permissions",
  });
}
