import { createLambdaHandler } from '@baton/core';
import { deployAndWaitJob } from '../jobs/deploy-and-wait.js';

/** Lambda entry of the deploy-and-wait job (handler `index.handler` in the bundle). */
export const handler = createLambdaHandler(deployAndWaitJob);
