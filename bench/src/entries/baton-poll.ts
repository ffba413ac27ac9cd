// Lambda entry of the polling action written with Baton (bundled for the cold start).
// Env: BATON_TABLE_NAME, AWS_REGION, AWS_ENDPOINT_URL_* as for any Baton function.
import { createLambdaHandler } from '@baton/core';
import { batonPollJob } from '../actions/baton-poll-job.js';

export const handler = createLambdaHandler(batonPollJob);
