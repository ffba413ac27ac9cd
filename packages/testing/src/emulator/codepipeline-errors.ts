import type { FaultReport } from './faults.js';
import type { LambdaActionResult } from './lambda-action-options.js';
/**
 * Error names the emulated CodePipeline API answers with, as the real service
 * sends them in `__type` and `x-amzn-errortype`. The SDK turns the modelled ones
 * into its typed exception classes (`InvalidJobStateException`, ...).
 */
export const CodePipelineErrorName = {
  Validation: 'ValidationException',
  JobNotFound: 'JobNotFoundException',
  InvalidJobState: 'InvalidJobStateException',
  InvalidNonce: 'InvalidNonceException',
  ActionTypeNotFound: 'ActionTypeNotFoundException',
  OutputVariablesSizeExceeded: 'OutputVariablesSizeExceededException',
  Throttling: 'ThrottlingException',
  InternalServerError: 'InternalServerError',
  ServiceUnavailable: 'ServiceUnavailable',
  Serialization: 'SerializationException',
  UnknownOperation: 'UnknownOperationException',
} as const;
export type CodePipelineErrorName =
  (typeof CodePipelineErrorName)[keyof typeof CodePipelineErrorName];

/** Options of {@link CodePipelineApiError}. */
export interface CodePipelineApiErrorOptions {
  /** HTTP status sent with the error. @default 400 */
  statusCode?: number;
  /** The error that led to this one. */
  cause?: unknown;
}

/**
 * An error answer of the emulated API: the server sends it as an HTTP error with
 * `{"__type": name, "message": message}`.
 *
 * @example
 * ```ts
 * throw new CodePipelineApiError('JobNotFoundException', `Job ${jobId} not found`);
 * ```
 */
export class CodePipelineApiError extends Error {
  /** The AWS error name (`__type`). */
  public readonly errorName: CodePipelineErrorName;
  /** HTTP status of the answer. */
  public readonly statusCode: number;

  public constructor(
    errorName: CodePipelineErrorName,
    message: string,
    options: CodePipelineApiErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'CodePipelineApiError';
    this.errorName = errorName;
    this.statusCode = options.statusCode ?? 400;
  }
}

/**
 * The emulator was used in a way it cannot honour (e.g. a real crash asked of
 * an in-process handler, or a malformed handler module spec).
 *
 * @example
 * ```ts
 * throw new EmulatorConfigurationError('cut-off faults need an isolated handler');
 * ```
 */
export class EmulatorConfigurationError extends Error {
  public constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmulatorConfigurationError';
  }
}

/**
 * The emulator was stopped while an action was still playing.
 *
 * @example
 * ```ts
 * await expect(playing).rejects.toBeInstanceOf(EmulatorStoppedError);
 * ```
 */
export class EmulatorStoppedError extends Error {
  public constructor(
    message = 'The CodePipeline emulator was stopped',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EmulatorStoppedError';
  }
}

/**
 * A played action asked to fail on faults that never fired
 * (`failOnUnfiredFaults`) had some: a fault aimed at a job, attempt or moment
 * the action never reached tests nothing. The action's result is attached.
 *
 * @example
 * ```ts
 * try {
 *   await emulator.runLambdaAction({ handler, faults, failOnUnfiredFaults: true });
 * } catch (err) {
 *   if (err instanceof UnfiredFaultsError) console.log(err.unfired, err.result.timeline);
 * }
 * ```
 */
export class UnfiredFaultsError extends Error {
  /** The faults that never fired. */
  public readonly unfired: readonly FaultReport[];
  /** The result of the action, which played to its end. */
  public readonly result: LambdaActionResult;

  public constructor(unfired: readonly FaultReport[], result: LambdaActionResult) {
    const list = unfired
      .map((report) => `faults[${report.index}] (${JSON.stringify(report.fault)})`)
      .join(', ');
    super(
      `${unfired.length} requested fault${unfired.length === 1 ? '' : 's'} never fired: ${list}. The action ended ${result.status} after ${result.jobs.length} job${result.jobs.length === 1 ? '' : 's'}.`,
    );
    this.name = 'UnfiredFaultsError';
    this.unfired = unfired;
    this.result = result;
  }
}
