import type { InvocationObservation } from '../observe/run-observer.js';
import type { Reporter } from './ports/reporter.js';
import type { RunStore } from './ports/run-store.js';

/** Milliseconds `fn` took, told to `record` whether it resolved or threw. */
async function timed<T>(fn: () => Promise<T>, record: (ms: number) => void): Promise<T> {
  const started = performance.now();
  try {
    return await fn();
  } finally {
    record(performance.now() - started);
  }
}

/**
 * The store, with the time of each request the engine makes told to the
 * invocation's observer (`dynamodb` requests by operation).
 *
 * @example
 * ```ts
 * const store = observedStore(deps.store, observation);
 * ```
 */
export function observedStore(store: RunStore, observation: InvocationObservation): RunStore {
  const record = (operation: string) => (ms: number) =>
    observation.request('dynamodb', operation, ms);
  return {
    claim: (request) => timed(() => store.claim(request), record('claim')),
    commit: (request) => timed(() => store.commit(request), record('commit')),
    renewLease: (runId, owner, now, running) =>
      timed(() => store.renewLease(runId, owner, now, running), record('renewLease')),
    releaseLease: (runId, owner, extra) =>
      timed(() => store.releaseLease(runId, owner, extra), record('releaseLease')),
    takeOverReport: (request) =>
      timed(() => store.takeOverReport(request), record('takeOverReport')),
    abandon: (request) => timed(() => store.abandon(request), record('abandon')),
    peekRun: (runId) => timed(() => store.peekRun(runId), record('peekRun')),
    getRun: (runId) => timed(() => store.getRun(runId), record('getRun')),
    listRuns: (options) => store.listRuns(options),
  };
}

/**
 * The reporter, with each report's time (retries included) and each retry
 * told to the invocation's observer.
 *
 * @example
 * ```ts
 * const reporter = observedReporter(deps.reporter, observation);
 * ```
 */
export function observedReporter(reporter: Reporter, observation: InvocationObservation): Reporter {
  return {
    report: (outcome, runId, timeBudgetMs, options) =>
      timed(
        () =>
          reporter.report(outcome, runId, timeBudgetMs, {
            ...options,
            onRetry: () => {
              observation.reportRetried();
              options?.onRetry?.();
            },
          }),
        (ms) => observation.request('codepipeline', 'report', ms),
      ),
  };
}
