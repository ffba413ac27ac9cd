import { BatonError, type BatonErrorOptions } from '../errors.js';

/**
 * Thrown when metrics or tracing options are wrong (a namespace CloudWatch
 * would reject, an empty dimension value), when the handler is created.
 *
 * @example
 * ```ts
 * try { emfMetrics({ namespace: 'AWS/Lambda' }); } catch (err) { console.error(err.message); }
 * ```
 */
export class ObserverOptionsError extends BatonError {
  public constructor(message: string, options?: BatonErrorOptions) {
    super(message, options);
    this.name = 'ObserverOptionsError';
  }
}
