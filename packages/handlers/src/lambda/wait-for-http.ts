import { createLambdaHandler } from '@baton/core';
import { waitForHttpJob } from '../jobs/wait-for-http.js';

/** Lambda entry of the wait-for-http job (handler `index.handler` in the bundle). */
export const handler = createLambdaHandler(waitForHttpJob);
