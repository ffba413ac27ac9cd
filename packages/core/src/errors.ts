/**
 * Error classes thrown or reported by Baton. Each sets `name` so logs and
 * `instanceof`-free checks (`err.name === 'ConfigurationError'`) both work,
 * and carries the underlying `cause` when there is one.
 */

/** Options accepted by every Baton error. */
export interface BatonErrorOptions {
  /** The error that led to this one. */
  cause?: unknown;
}

/**
 * Base class of Baton's errors.
 *
 * @example
 * ```ts
 * try { await handler(event, context); } catch (err) {
 *   if (err instanceof BatonError) console.error(err.name, err.message);
 * }
 * ```
 */
export class BatonError extends Error {
  public constructor(message: string, options?: BatonErrorOptions) {
    super(message, options);
    this.name = 'BatonError';
  }
}

/**
 * The event is not a CodePipeline job event at all (no `CodePipeline.job.id`),
 * so nothing can be reported. Thrown from the Lambda handler.
 *
 * @example
 * ```ts
 * await expect(handler({}, context)).rejects.toThrow(InvalidEventError);
 * ```
 */
export class InvalidEventError extends BatonError {
  public constructor(message: string, options?: BatonErrorOptions) {
    super(message, options);
    this.name = 'InvalidEventError';
  }
}

/**
 * The job's configuration is wrong: `UserParameters` that do not parse or
 * validate, or a continuation token that is not Baton's or does not match its
 * run. Reported to CodePipeline as failure type `ConfigurationError`.
 *
 * @example
 * ```ts
 * throw new ConfigurationError('UserParameters.url: expected a URL');
 * ```
 */
export class ConfigurationError extends BatonError {
  public constructor(message: string, options?: BatonErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/**
 * A job definition is not usable (unknown first step, bad retry policy, …).
 * Thrown by `defineJob` at module load, long before any event arrives.
 *
 * @example
 * ```ts
 * expect(() => defineJob({ ...def, firstStep: 'nope' })).toThrow(JobDefinitionError);
 * ```
 */
export class JobDefinitionError extends BatonError {
  public constructor(message: string, options?: BatonErrorOptions) {
    super(message, options);
    this.name = 'JobDefinitionError';
  }
}

/**
 * A result could not be sent to CodePipeline because it breaks one of the
 * API's limits (token length, summary length, output variable keys, …).
 * Raised before any request is made.
 *
 * @example
 * ```ts
 * await expect(reporter.succeed(jobId, { continuationToken: '' })).rejects.toThrow(ReportValidationError);
 * ```
 */
export class ReportValidationError extends BatonError {
  public constructor(message: string, options?: BatonErrorOptions) {
    super(message, options);
    this.name = 'ReportValidationError';
  }
}

/**
 * Sending a result to CodePipeline failed after all retries inside the
 * invocation's time budget. The outcome is committed, so a redelivery of the
 * same job re-sends it.
 *
 * @example
 * ```ts
 * if (err instanceof ReportError) logger.error('report failed; Lambda will retry', { err });
 * ```
 */
export class ReportError extends BatonError {
  public constructor(message: string, options?: BatonErrorOptions) {
    super(message, options);
    this.name = 'ReportError';
  }
}

/** Whether retrying a failed store request can help. */
export const StoreFailure = {
  /** Throttling, a transaction conflict, a 5xx: the same request may pass soon. */
  Transient: 'transient',
  /** The request itself is refused (a value DynamoDB cannot hold): it never will. */
  Deterministic: 'deterministic',
  /** Anything else (network, access, missing table): a later invocation may do better. */
  Unknown: 'unknown',
} as const;
export type StoreFailure = (typeof StoreFailure)[keyof typeof StoreFailure];

/** Options of {@link StoreError}. */
export interface StoreErrorOptions extends BatonErrorOptions {
  /** @default 'unknown' */
  failure?: StoreFailure;
}

/**
 * The run store (DynamoDB) failed in a way Baton cannot handle: the table is
 * missing, access is denied, or retries ran out. `failure` says whether a
 * retry can help.
 *
 * @example
 * ```ts
 * if (err instanceof StoreError) logger.error('store unavailable', { err, failure: err.failure });
 * ```
 */
export class StoreError extends BatonError {
  public readonly failure: StoreFailure;

  public constructor(message: string, options?: StoreErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
    this.failure = options?.failure ?? StoreFailure.Unknown;
  }
}

/**
 * What Baton makes of a thrown value that is not an `Error` (`throw 'boom'`,
 * `throw { name: 'Fatal', message: '…' }`, `throw undefined`). It keeps the
 * thrown object's string `name` (so a retry policy's `nonRetryableErrors`
 * applies to it) and `message`, and the value itself as `cause`.
 *
 * @example
 * ```ts
 * const error = asError({ name: 'Fatal', message: 'quota exceeded' });
 * error.name; // 'Fatal'
 * error instanceof ThrownValueError; // true
 * ```
 */
export class ThrownValueError extends BatonError {
  public constructor(name: string, message: string, options?: BatonErrorOptions) {
    super(message, options);
    this.name = name;
  }
}
