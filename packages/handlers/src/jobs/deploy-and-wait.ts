import { defineJob, fail, type Job } from '@baton/core';
import { INITIAL_POLL_STATE, pollStep } from '../http/poll-step.js';
import {
  DEPLOYMENT_ID_PLACEHOLDER,
  type DeployAndWaitParams,
  deployAndWaitParamsSchema,
} from './deploy-and-wait-params.js';
import { DEPLOY_START_RETRY, type DeployAndWaitState, startDeployment } from './deploy-start.js';

export {
  DEPLOY_MAX_NOT_FOUND,
  DEPLOYMENT_ID_PLACEHOLDER,
  type DeployAndWaitParams,
  deployAndWaitParamsSchema,
} from './deploy-and-wait-params.js';
export {
  DEPLOY_START_RETRY,
  type DeployAndWaitState,
  DeployStartError,
  startDeployment,
} from './deploy-start.js';
export {
  type DeploymentIdResult,
  deploymentIdOf,
  MAX_DEPLOYMENT_ID_LENGTH,
} from './deployment-id.js';

/**
 * Starts a deployment over HTTP, then polls its status until it succeeds,
 * fails or times out. The worked example of a multi-step Baton job:
 *
 * 1. **`start`** POSTs `deployBody` to `deployUrl` with the header
 *    `Idempotency-Key: <ctx.idempotencyKey>` (after `idempotencyKeyPrefix:`
 *    when set). Redirects are not followed. The key is the same for every
 *    try of this step, so when an invocation crashes after the POST but before
 *    Baton committed, the re-run gets the same deployment back instead of
 *    starting a second one. The deployment id is read from the JSON response
 *    at `idPath` and the step returns `goTo('poll', { deploymentId })`: the
 *    state update and the move to `poll` are committed together, and `start`
 *    never runs again for this run.
 *    - 409, 429, 503 with `Retry-After`: waits that long (same key), unless
 *      that is past `timeoutSeconds` from the first try, which fails;
 *    - network error, body over `maxResponseBytes`, 5xx, 408, 409, 425, 429:
 *      throws {@link DeployStartError}; `start`'s retry policy
 *      ({@link DEPLOY_START_RETRY}) tries again with the same idempotency key;
 *    - any other 4xx, a redirect, a refused target: fails the action
 *      (retrying would not help);
 *    - no id at `idPath`: fails with `ConfigurationError`; an id that is not
 *      a short string or a whole number (see {@link deploymentIdOf}): fails.
 * 2. **`poll`** GETs `statusUrl` with `{id}` replaced by the URL-encoded id,
 *    exactly like wait-for-http (defaults: `successWhen`
 *    `{"path":"status","equals":"SUCCEEDED"}`, `failureWhen`
 *    `{"path":"status","in":["FAILED","ROLLED_BACK"]}`, progress from
 *    `progress`). It returns `wait` until the deployment is done; on success
 *    the output variables are `deploymentId`, `httpStatus`, `matchedValue`
 *    and `polls`.
 *
 * @example
 * ```ts
 * // Lambda entry (this package ships it as dist/deploy-and-wait.js):
 * import { createLambdaHandler } from '@baton/core';
 * import { deployAndWaitJob } from '@baton/handlers';
 * export const handler = createLambdaHandler(deployAndWaitJob);
 *
 * // UserParameters in the pipeline:
 * // {"deployUrl":"https://deploy.example.com/deployments",
 * //  "deployBody":{"service":"web","version":"#{SourceVariables.CommitId}"},
 * //  "statusUrl":"https://deploy.example.com/deployments/{id}"}
 * ```
 */
export const deployAndWaitJob: Job<DeployAndWaitState, DeployAndWaitParams, 'start' | 'poll'> =
  defineJob<DeployAndWaitState, DeployAndWaitParams, 'start' | 'poll'>({
    name: 'deploy-and-wait',
    params: deployAndWaitParamsSchema,
    initialState: INITIAL_POLL_STATE,
    firstStep: 'start',
    steps: {
      start: { retry: DEPLOY_START_RETRY, run: (ctx) => startDeployment(ctx) },
      poll: ({ params, state, signal, logger }) => {
        const { deploymentId } = state;
        if (deploymentId === undefined) {
          // Only reachable if the state was edited by hand: `start` always sets it.
          return fail({ message: 'poll step has no deploymentId in its state' });
        }
        return pollStep({
          request: {
            url: params.statusUrl.replaceAll(
              DEPLOYMENT_ID_PLACEHOLDER,
              encodeURIComponent(deploymentId),
            ),
            headers: params.headers,
          },
          settings: params,
          state,
          signal,
          logger,
          subject: `deployment ${deploymentId}`,
          outputVariables: { deploymentId },
        });
      },
    },
  });
