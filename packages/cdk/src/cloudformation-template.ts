import { App, BootstraplessSynthesizer, CfnOutput, CfnParameter, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BatonFunction } from './baton-function.js';
import { BatonHandler, ReadyMadeHandler } from './baton-handler.js';
import { BatonTable } from './baton-table.js';

/**
 * The CloudFormation template of a ready-made job for teams without CDK:
 * the run table, the function (code from the parameters `CodeBucket` and
 * `CodeKey`: upload `@baton/handlers`' `dist/bundle/<job>.zip` there), its
 * role, on-failure queue, log group and alarms, exactly as the constructs
 * make them. Outputs: the function's and the table's names.
 *
 * @example
 * ```ts
 * writeFileSync('wait-for-http.template.json', JSON.stringify(readyMadeTemplate('wait-for-http'), null, 2));
 * ```
 */
export function readyMadeTemplate(name: ReadyMadeHandler): Record<string, unknown> {
  // No CDK bootstrap, no metadata: a plain template anyone can deploy.
  const app = new App({
    analyticsReporting: false,
    context: { 'aws:cdk:enable-path-metadata': false },
  });
  const stack = new Stack(app, 'Baton', {
    synthesizer: new BootstraplessSynthesizer(),
    description: `Baton ${name}: a CodePipeline Lambda invoke action's function, its run table and alarms`,
  });
  const code = lambda.Code.fromCfnParameters({
    bucketNameParam: new CfnParameter(stack, 'CodeBucket', {
      type: 'String',
      description: `S3 bucket holding the ${name} bundle (${name}.zip of @baton/handlers)`,
    }),
    objectKeyParam: new CfnParameter(stack, 'CodeKey', {
      type: 'String',
      description: `Key of the ${name} bundle in CodeBucket`,
    }),
  });
  const table = new BatonTable(stack, 'Runs');
  const handler: BatonHandler<unknown> =
    name === ReadyMadeHandler.WaitForHttp
      ? BatonHandler.waitForHttp({ code })
      : BatonHandler.deployAndWait({ code });
  const fn = new BatonFunction(stack, 'Job', { table, handler });
  new CfnOutput(stack, 'FunctionName', { value: fn.function.functionName });
  new CfnOutput(stack, 'TableName', { value: table.tableName });
  return app.synth().getStackByName(stack.stackName).template as Record<string, unknown>;
}
