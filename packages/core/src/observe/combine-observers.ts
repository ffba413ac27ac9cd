import { type InvocationObservation, noopObserver, type RunObserver } from './run-observer.js';

/**
 * One observer from several: each event goes to each, in order; `within`
 * nests them (the first outermost).
 *
 * @example
 * ```ts
 * const observer = combineObservers(emfMetrics(), otelTracing());
 * ```
 */
export function combineObservers(...observers: RunObserver[]): RunObserver {
  if (observers.length === 0) return noopObserver;
  if (observers.length === 1) return observers[0] as RunObserver;
  return {
    ready: async () => {
      await Promise.all(observers.map((o) => o.ready?.()));
    },
    invocation: (start) => combineInvocations(observers.map((o) => o.invocation(start))),
  };
}

function nest<T>(
  items: readonly { within<R>(fn: () => Promise<R>): Promise<R> }[],
  fn: () => Promise<T>,
): Promise<T> {
  return items.reduceRight<() => Promise<T>>((inner, item) => () => item.within(inner), fn)();
}

function combineInvocations(all: InvocationObservation[]): InvocationObservation {
  const each = (event: (o: InvocationObservation) => void) => {
    for (const o of all) event(o);
  };
  return {
    within: (fn) => nest(all, fn),
    traceParent: () => {
      for (const o of all) {
        const parent = o.traceParent();
        if (parent !== undefined) return parent;
      }
      return undefined;
    },
    run: (run) => each((o) => o.run(run)),
    runStarted: () => each((o) => o.runStarted()),
    stepStarted: (step) => {
      const steps = all.map((o) => o.stepStarted(step));
      return {
        within: (fn) => nest(steps, fn),
        ended: (end) => {
          for (const s of steps) s.ended(end);
        },
      };
    },
    handedOnWithoutStep: () => each((o) => o.handedOnWithoutStep()),
    runEnded: (end) => each((o) => o.runEnded(end)),
    crashCounted: () => each((o) => o.crashCounted()),
    reportRetried: () => each((o) => o.reportRetried()),
    request: (service, operation, ms) => each((o) => o.request(service, operation, ms)),
    ended: (end) => each((o) => o.ended(end)),
  };
}
