import * as z from 'zod/mini';
import { jsonSchema } from '../http/condition.js';
import {
  hasUserInfo,
  headersSchema,
  httpUrlSchema,
  jsonPathSchema,
  userInfoMessage,
} from '../http/param-schemas.js';
import { pollingFields } from '../http/polling-fields.js';

/** Placeholder in `statusUrl` replaced by the (URL-encoded) deployment id. */
export const DEPLOYMENT_ID_PLACEHOLDER = '{id}';

/** Default `maxNotFound` of deploy-and-wait: the id came from the service, so 404s mean a wrong `statusUrl`. */
export const DEPLOY_MAX_NOT_FOUND = 10;

// Characters an idempotency key prefix may hold: a header value that reads
// the same in logs, e.g. a pipeline execution id (a UUID).
const KEY_PREFIX = /^[A-Za-z0-9._~:@+=/-]{1,100}$/;

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
    z.refine((url) => !hasUserInfo(url.replaceAll(DEPLOYMENT_ID_PLACEHOLDER, 'id')), {
      error: userInfoMessage('statusUrl'),
    }),
  );

/** `UserParameters` of the deploy-and-wait job; unknown fields are rejected. */
export const deployAndWaitParamsSchema = z.strictObject({
  deployUrl: httpUrlSchema('deployUrl'),
  deployBody: z._default(jsonSchema('deployBody must be a JSON value'), {}),
  headers: z.optional(headersSchema('headers')),
  idPath: z._default(jsonPathSchema('idPath'), 'id'),
  idempotencyKeyPrefix: z.optional(
    z.string({ error: 'idempotencyKeyPrefix must be a string' }).check(
      z.regex(KEY_PREFIX, {
        error: 'idempotencyKeyPrefix must be 1–100 characters from letters, digits and ._~:@+=/-',
      }),
    ),
  ),
  statusUrl: statusUrlSchema,
  ...pollingFields({
    successWhen: { path: 'status', equals: 'SUCCEEDED' },
    failureWhen: { path: 'status', in: ['FAILED', 'ROLLED_BACK'] },
    progressPath: 'progress',
    maxNotFound: DEPLOY_MAX_NOT_FOUND,
  }),
});

/** Validated `UserParameters` of the deploy-and-wait job, defaults filled in. */
export type DeployAndWaitParams = z.output<typeof deployAndWaitParamsSchema>;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
