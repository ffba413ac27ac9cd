import { FailureType, fail, goTo, type StepContext, type Transition, wait } from '@baton/core';
import { displayUrl } from '../http/display-url.js';
import { RETRY_AFTER_STATUSES } from '../http/fail-fast.js';
import {
  fetchJson,
  HttpFailureReason,
  HttpRequestError,
  type JsonResponse,
  RedirectMode,
} from '../http/fetch-json.js';
import { readJsonPath } from '../http/json-path.js';
import { previewJson } from '../http/json-text.js';
import { printable } from '../http/outside-text.js';
import type { PollState } from '../http/poll-step.js';
import type { DeployAndWaitParams } from './deploy-and-wait-params.js';
import { deploymentIdOf } from './deployment-id.js';

/** State of a deploy-and-wait run. */
export interface DeployAndWaitState extends PollState {
  /** Set by `start` from the deploy response; read by `poll`. */
  deploymentId?: string;
  /** Epoch milliseconds of the first start request: `Retry-After` waits end by `timeoutSeconds` after it. */
  startFirstAt?: number;
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

/** Statuses of a 4xx answer to the start request that are worth retrying. */
const RETRYABLE_CLIENT_STATUSES: ReadonlySet<number> = new Set([408, 409, 425, 429]);

/**
 * The `start` step of deploy-and-wait: one POST without redirects, whose
 * answer either moves the run to `poll` with the deployment id, waits as a
 * `Retry-After` asks, is retried (thrown {@link DeployStartError}), or fails.
 */
export async function startDeployment(
  ctx: StepContext<DeployAndWaitState, DeployAndWaitParams>,
  now: () => number = Date.now,
): Promise<Transition<DeployAndWaitState, 'poll'>> {
  const { params, idempotencyKey, signal, logger, attempt, state } = ctx;
  const headers = new Headers(params.headers);
  const key = params.idempotencyKeyPrefix
    ? `${params.idempotencyKeyPrefix}:${idempotencyKey}`
    : idempotencyKey;
  // Set last so a user header cannot replace the key Baton relies on.
  headers.set('idempotency-key', key);
  const target = displayUrl(params.deployUrl);
  const startFirstAt = state.startFirstAt ?? now();
  let response: JsonResponse;
  try {
    response = await fetchJson(
      { url: params.deployUrl, method: 'POST', headers, body: params.deployBody },
      {
        timeoutSeconds: params.requestTimeoutSeconds,
        signal,
        maxResponseBytes: params.maxResponseBytes,
        redirects: RedirectMode.None,
        exactIntegers: true,
      },
    );
  } catch (err) {
    if (!(err instanceof HttpRequestError)) throw err;
    if (err.reason === HttpFailureReason.Refused) {
      return fail({ message: `start request to ${target} ${err.detail}` });
    }
    throw new DeployStartError(`start request to ${target} failed: ${err.detail}`, { cause: err });
  }
  const { status } = response;
  if (response.redirect) {
    const { location, refused } = response.redirect;
    return fail({
      message: `start request to ${target} answered HTTP ${status} to ${location}, not followed: ${refused}; set deployUrl to where the service takes the POST`,
    });
  }
  const retryAfter = response.retryAfterSeconds;
  if (retryAfter !== undefined && RETRY_AFTER_STATUSES.has(status)) {
    const elapsedMs = now() - startFirstAt;
    if (elapsedMs + retryAfter * 1000 > params.timeoutSeconds * 1000) {
      return fail({
        message: `start request to ${target} answered HTTP ${status} asking to retry after ${retryAfter}s (Retry-After), past the ${params.timeoutSeconds}s timeout: ${bodyPreview(response)}`,
      });
    }
    logger.info('start deferred by Retry-After', { httpStatus: status, retryAfter, attempt });
    // A wait keeps the step visit, hence the idempotency key.
    return wait<DeployAndWaitState>({
      seconds: retryAfter,
      summary: `start: HTTP ${status}, retrying in ${retryAfter}s as Retry-After asks`,
      state: { startFirstAt },
    });
  }
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
  const found = readJsonPath(response.json, params.idPath);
  if (!found.found) {
    return fail({
      type: FailureType.ConfigurationError,
      message:
        `start request to ${target} answered HTTP ${status} without a deployment id ` +
        `(string or number) at idPath "${params.idPath}": ${bodyPreview(response)}`,
    });
  }
  const id = deploymentIdOf(found.value);
  if (!id.ok) {
    return fail({
      message:
        `start request to ${target} answered HTTP ${status} with an unusable deployment id ` +
        `at idPath "${params.idPath}": ${id.problem}`,
    });
  }
  logger.info('deployment started', { deploymentId: id.id, httpStatus: status, attempt });
  return goTo<DeployAndWaitState, 'poll'>('poll', { deploymentId: id.id });
}

function bodyPreview(response: JsonResponse): string {
  if (response.json !== undefined) return previewJson(response.json);
  const text = printable(response.text.trim());
  return text === '' ? '(empty body)' : text;
}
