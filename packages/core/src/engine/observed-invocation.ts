import { type InvocationObservation, noopObserver } from '../observe/run-observer.js';
import type { EngineDependencies, InvocationResult } from './invocation-result.js';
import { observedError } from './observed-error.js';
import { observedReporter, observedStore } from './observed-ports.js';

const noObservation = noopObserver.invocation({ jobName: '', jobId: '' });

/**
 * Runs one invocation under the observer of `deps` (none: nothing is added):
 * the store and reporter timed, the whole inside the invocation's trace
 * context, and its end (result kind, or the error it threw) told last.
 *
 * @example
 * ```ts
 * return observeInvocation(deps, { jobName, jobId, requestId }, secrets, (d, o) => invoke(d, o));
 * ```
 */
export async function observeInvocation(
  deps: EngineDependencies,
  start: { jobName: string; jobId: string; requestId: string | undefined },
  secrets: readonly string[],
  invoke: (
    deps: EngineDependencies,
    observation: InvocationObservation,
  ) => Promise<InvocationResult>,
): Promise<InvocationResult> {
  if (!deps.observer) return invoke(deps, noObservation);
  await deps.observer.ready?.();
  const observation = deps.observer.invocation({
    jobName: start.jobName,
    jobId: start.jobId,
    ...(start.requestId ? { requestId: start.requestId } : {}),
  });
  const observed: EngineDependencies = {
    ...deps,
    store: observedStore(deps.store, observation),
    reporter: observedReporter(deps.reporter, observation),
  };
  try {
    const result = await observation.within(() => invoke(observed, observation));
    observation.ended({ kind: result.kind });
    return result;
  } catch (err) {
    observation.ended({ kind: 'threw', error: observedError(err, secrets) });
    throw err;
  }
}
