import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgeExplainedFindings } from './nag-acknowledgements.js';
import { PipelineStack } from './pipeline-stack.js';

const app = new App();
const stack = new PipelineStack(app, 'BatonPipeline');
// cdk-nag's AwsSolutions rules: a finding not acknowledged with its reason fails `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
acknowledgeExplainedFindings(stack);
