import { defineJob, FailureType, fail, goTo, type Job, type JsonValue } from '@baton/core';
import * as z from 'zod/mini';
import { jsonSchema, previewJson } from '../http/condition.js';
import { displayUrl } from '../http/display-url.js';
import { fetchJson, HttpRequestError } from '../http/fetch-json.js';
import { readJsonPath } from '../http/json-path.js';
import {
  headersSchema,
  httpUrlSchema,
  jsonPathSchema,
  pollingFields,
} from '../http/param-schemas.js';
import { INITIAL_POLL_STATE, type PollState, pollStep } from '../http/poll-step.js';

/** Placeholder in `statusUrl` replaced by the (URL-encoded) deployment id. */
export const DEPLOYMENT_ID_PLACEHOLDER = '{id}';

/** Statuses of a 4xx answer to the start request that are worth retrying. */
const RETRYABLE_CLIENT_STATUSES: ReadonlySet<number> = new Set([408, 409, 425, 429]);

const statusUrlSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined ? 'statusUrl is required' : 'statusUrl must be a string',
  })
  .check(
    z.refine((url) => url.includes(DEPLOYMENT_ID_PLACEHOLDER), {
      error: `statusUrl must contain ${DEPLOYMENT_ID_PLACEHOLDER}, replaced by the deployment id`,
    }),
    z.refine((url) => isHttpUrl(url.replaceAll(DEPLOYMENT_ID_PLACEHOLDER, 'id')), {
      error: 'statusUrl must be an absolute http:// or https:// URL',
    }),
  );

/** `UserParameters` of {@link deployAndWaitJob}; unknown fields are rejected. */
export const deployAndWaitParamsSchema = z.strictObject({
  deployUrl: httpUrlSchema('deployUrl'),
  deployBody: z._default(jsonSchema('deployBody must be a JSON value'), {}),
  headers: z.optional(headersSchema('headers')),
  idPath: z._default(jsonPathSchema('idPath'), 'id'),
  statusUrl: statusUrlSchema,
  ...pollingFields({
    successWhen: { path: 'status', equals: 'SUCCEEDED' },
    failureWhen: { path: 'status', in: ['FAILED', 'ROLLED_BACK'] },
    progressPath: 'progress',
  }),
});

/** Validated `UserParameters` of {@link deployAndWaitJob}, defaults filled in. */
export type DeployAndWaitParams = z.output<typeof deployAndWaitParamsSchema>;

/** State of a deploy-and-wait run. */
export interface DeployAndWaitState extends PollState {
  /** Set by `start` from the deploy response; read by `poll`. */
  deploymentId?: string;
}

/** The start request got no usable answer; thrown so `start`'s retry policy applies. */
export class DeployStartError extends Error {
  override readonly name = 'DeployStartError';
}

/** Retry policy of the `start` step: 4 attempts, 2 s, 4 s, 8 s apart. */
export const DEPLOY_START_RETRY = {
  maximumAttempts: 4,
  initialIntervalSeconds: 2,
  backoffCoefficient: 2,
} as const;

/**
 * Starts a deployment over HTTP, then polls its status until it succeeds,
 * fails or times out. The worked example of a multi-step Baton job:
 *
 * 1. **`start`** POSTs `deployBody` to `deployUrl` with the header
 *    `Idempotency-Key: <ctx.idempotencyKey>`. The key is the same for every
 *    try of this step, so when an invocation crashes after the POST but before
 *    Baton committed, the re-run gets the same deployment back instead of
 *    starting a second one. The deployment id is read from the JSON response
 *    at `idPath` and the step returns `goTo('poll', { deploymentId })`: the
 *    state update and the move to `poll` are committed together, and `start`
 *    never runs again for this run.
 *    - network error, 5xx, 408, 409, 425, 429: throws {@link DeployStartError};
 *      `start`'s retry policy ({@link DEPLOY_START_RETRY}) tries again through
 *      continuations, with the same idempotency key;
 *    - any other 4xx: fails the action (retrying would not help);
 *    - no id at `idPath`: fails with `ConfigurationError`.
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
export const deployAndWaitJob: Job<DeployAndWaitState, DeployAndWaitParams> = defineJob<
  DeployAndWaitState,
  DeployAndWaitParams
>({
  name: 'deploy-and-wait',
  params: deployAndWaitParamsSchema,
  initialState: INITIAL_POLL_STATE,
  firstStep: 'start',
  steps: {
    start: {
      retry: DEPLOY_START_RETRY,
      run: async ({ params, idempotencyKey, signal, logger, attempt }) => {
        const headers = new Headers(params.headers);
        // Set last so a user header cannot replace the key Baton relies on.
        headers.set('idempotency-key', idempotencyKey);
        const target = displayUrl(params.deployUrl);
        let response: Awaited<ReturnType<typeof fetchJson>>;
        try {
          response = await fetchJson(
            { url: params.deployUrl, method: 'POST', headers, body: params.deployBody },
            { timeoutSeconds: params.requestTimeoutSeconds, signal },
          );
        } catch (err) {
          if (err instanceof HttpRequestError) {
            throw new DeployStartError(`start request to ${target} failed: ${err.detail}`, {
              cause: err,
            });
          }
          throw err;
        }
        const { status } = response;
        if (status >= 500 || RETRYABLE_CLIENT_STATUSES.has(status)) {
          throw new DeployStartError(
            `start request to ${target} answered HTTP ${status}: ${bodyPreview(response)}`,
          );
        }
        if (status < 200 || status >= 300) {
          return fail({
            message: `start request to ${target} was rejected with HTTP ${status}: ${bodyPreview(response)}`,
          });
        }
        const id = readJsonPath(response.json, params.idPath);
        const deploymentId = id.found ? deploymentIdOf(id.value) : undefined;
        if (deploymentId === undefined) {
          return fail({
            type: FailureType.ConfigurationError,
            message:
              `start request to ${target} answered HTTP ${status} without a deployment id ` +
              `(string or number) at idPath "${params.idPath}": ${bodyPreview(response)}`,
          });
        }
        logger.info('deployment started', { deploymentId, httpStatus: status, attempt });
        return goTo<DeployAndWaitState>('poll', { deploymentId });
      },
    },
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

function deploymentIdOf(value: JsonValue): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function bodyPreview(response: { text: string; json: JsonValue | undefined }): string {
  if (response.json !== undefined) return previewJson(response.json);
  const text = response.text.trim();
  if (text === '') return '(empty body)';
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
