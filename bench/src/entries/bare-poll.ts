// Lambda entry of the polling action written bare, AWS-sample style (bundled for the cold start).
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { createBareHandler } from '../actions/bare-handler.js';

export const handler = createBareHandler(new CodePipelineClient({}));
