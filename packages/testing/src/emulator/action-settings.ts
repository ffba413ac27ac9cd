import { EmulatorConfigurationError } from './codepipeline-errors.js';
import {
  DEFAULT_LAMBDA_EVENT_TEMPLATE,
  encodeUserParameters,
  type LambdaEventTemplate,
} from './job-event-template.js';
import { HandlerClock, type LambdaActionOptions } from './lambda-action-options.js';

/** Defaults of the timing options of {@link LambdaActionOptions}. */
export const ACTION_DEFAULTS = {
  functionTimeoutMs: 30_000,
  memoryLimitInMB: 1024,
  deliveryDelayMs: 1_000,
  continuationDelayMs: 30_000,
  retryDelaysMs: [60_000, 120_000],
  noReplyTimeoutMs: 20 * 60_000,
  actionTimeoutMs: 24 * 60 * 60_000,
} as const;

/** The options of one action, checked, with every default filled in. */
export interface ActionSettings {
  timeScale: number;
  functionName: string;
  accountId: string;
  template: LambdaEventTemplate;
  /** The encoded `UserParameters` (`null`: left out), if the options set them. */
  userParameters: string | null | undefined;
  functionTimeoutMs: number;
  memoryLimitInMB: number;
  deliveryDelayMs: number;
  continuationDelayMs: number;
  retryDelaysMs: readonly number[];
  noReplyTimeoutMs: number;
  actionTimeoutMs: number;
  /** Whether isolated handlers read pipeline time. */
  handlerClock: HandlerClock;
}

/**
 * Checks an action's options and fills in the defaults.
 *
 * @throws {EmulatorConfigurationError} naming the first option that is unusable.
 * @example
 * ```ts
 * const settings = resolveActionSettings({ handler, timeScale: 1 / 1000 }, 1);
 * settings.retryDelaysMs; // [60000, 120000]
 * ```
 */
export function resolveActionSettings(
  options: LambdaActionOptions,
  defaultTimeScale: number,
): ActionSettings {
  const timeScale = options.timeScale ?? defaultTimeScale;
  if (!(timeScale > 0 && Number.isFinite(timeScale))) {
    throw new EmulatorConfigurationError(`timeScale must be a positive number, got ${timeScale}`);
  }
  for (const [name, value] of Object.entries({
    functionTimeoutMs: options.functionTimeoutMs,
    deliveryDelayMs: options.deliveryDelayMs,
    continuationDelayMs: options.continuationDelayMs,
    noReplyTimeoutMs: options.noReplyTimeoutMs,
    actionTimeoutMs: options.actionTimeoutMs,
  })) {
    if (value !== undefined && !(value >= 0)) {
      throw new EmulatorConfigurationError(`${name} must be a non-negative number, got ${value}`);
    }
  }
  if (
    options.handlerClock !== undefined &&
    !(Object.values(HandlerClock) as string[]).includes(options.handlerClock)
  ) {
    throw new EmulatorConfigurationError(
      `handlerClock must be 'pipeline' or 'real', got ${JSON.stringify(options.handlerClock)}`,
    );
  }
  if (options.retryDelaysMs?.some((delay) => !(delay >= 0))) {
    throw new EmulatorConfigurationError(
      `retryDelaysMs must hold non-negative numbers, got [${options.retryDelaysMs.join(', ')}]`,
    );
  }
  const template = options.eventTemplate ?? DEFAULT_LAMBDA_EVENT_TEMPLATE;
  const templateJob = template['CodePipeline.job'];
  return {
    timeScale,
    functionName:
      options.functionName ??
      templateJob?.data?.actionConfiguration?.configuration?.FunctionName ??
      'my-function',
    accountId: templateJob?.accountId ?? '123456789012',
    template,
    userParameters:
      options.userParameters === undefined
        ? undefined
        : encodeUserParameters(options.userParameters),
    functionTimeoutMs: options.functionTimeoutMs ?? ACTION_DEFAULTS.functionTimeoutMs,
    memoryLimitInMB: options.memoryLimitInMB ?? ACTION_DEFAULTS.memoryLimitInMB,
    deliveryDelayMs: options.deliveryDelayMs ?? ACTION_DEFAULTS.deliveryDelayMs,
    continuationDelayMs: options.continuationDelayMs ?? ACTION_DEFAULTS.continuationDelayMs,
    retryDelaysMs: options.retryDelaysMs ?? ACTION_DEFAULTS.retryDelaysMs,
    noReplyTimeoutMs: options.noReplyTimeoutMs ?? ACTION_DEFAULTS.noReplyTimeoutMs,
    actionTimeoutMs: options.actionTimeoutMs ?? ACTION_DEFAULTS.actionTimeoutMs,
    handlerClock: options.handlerClock ?? HandlerClock.Pipeline,
  };
}
