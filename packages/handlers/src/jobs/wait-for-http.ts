import { defineJob, type Job } from '@baton/core';
import * as z from 'zod/mini';
import { jsonSchema } from '../http/condition.js';
import { displayUrl } from '../http/display-url.js';
import { headersSchema, httpMethodSchema, httpUrlSchema } from '../http/param-schemas.js';
import { INITIAL_POLL_STATE, type PollState, pollStep } from '../http/poll-step.js';
import { pollingFields } from '../http/polling-fields.js';

/**
 * `UserParameters` of {@link waitForHttpJob}. Unknown fields are rejected so
 * a typo (`sucessWhen`) fails loudly instead of being ignored.
 */
export const waitForHttpParamsSchema = z
  .strictObject({
    url: httpUrlSchema('url'),
    method: z._default(httpMethodSchema('method'), 'GET'),
    headers: z.optional(headersSchema('headers')),
    body: z.optional(jsonSchema('body must be a JSON value')),
    ...pollingFields(),
  })
  .check(
    z.refine((params) => params.body === undefined || !['GET', 'HEAD'].includes(params.method), {
      error: 'body is not allowed with method GET or HEAD',
      path: ['body'],
    }),
    // A HEAD response has no body, so a condition on it could never match.
    z.refine((params) => params.method !== 'HEAD' || params.successWhen === undefined, {
      error: 'successWhen needs a response body: use GET, not HEAD',
      path: ['successWhen'],
    }),
    z.refine((params) => params.method !== 'HEAD' || params.failureWhen === undefined, {
      error: 'failureWhen needs a response body: use GET, not HEAD',
      path: ['failureWhen'],
    }),
  );

/** Validated `UserParameters` of {@link waitForHttpJob}, defaults filled in. */
export type WaitForHttpParams = z.output<typeof waitForHttpParamsSchema>;

/** State of a wait-for-http run: the polling counters. */
export type WaitForHttpState = PollState;

/**
 * Polls a URL until a condition on its response holds.
 *
 * One step, `poll`: each visit sends one request and
 * - succeeds when the response is 2xx and `successWhen` holds (any 2xx
 *   without `successWhen`), with output variables `httpStatus`,
 *   `matchedValue` (the JSON text of the value at `successWhen.path`) and
 *   `polls`;
 * - fails when `failureWhen` holds on a response below 500, saying what it saw;
 * - otherwise waits `intervalSeconds` and polls again, reporting
 *   `poll 3: HTTP 200, status="IN_PROGRESS"` as progress;
 * - fails once `timeoutSeconds` have passed since the first poll, with the
 *   last status seen.
 *
 * Network errors, request timeouts and 5xx responses are not fatal: they are
 * counted in the state and shown in the summary, and polling goes on until the
 * timeout.
 *
 * @example
 * ```ts
 * // Lambda entry (this package ships it as dist/wait-for-http.js):
 * import { createLambdaHandler } from '@baton/core';
 * import { waitForHttpJob } from '@baton/handlers';
 * export const handler = createLambdaHandler(waitForHttpJob);
 *
 * // UserParameters in the pipeline:
 * // {"url":"https://api.example.com/health","successWhen":{"path":"status","equals":"UP"}}
 * ```
 */
export const waitForHttpJob: Job<WaitForHttpState, WaitForHttpParams, 'poll'> = defineJob<
  WaitForHttpState,
  WaitForHttpParams,
  'poll'
>({
  name: 'wait-for-http',
  params: waitForHttpParamsSchema,
  initialState: INITIAL_POLL_STATE,
  firstStep: 'poll',
  steps: {
    poll: ({ params, state, signal, logger }) =>
      pollStep({
        request: {
          url: params.url,
          method: params.method,
          headers: params.headers,
          body: params.body,
        },
        settings: params,
        state,
        signal,
        logger,
        subject: displayUrl(params.url),
      }),
  },
});
