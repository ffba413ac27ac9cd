import { EmulatorStoppedError } from './codepipeline-errors.js';

/**
 * The background work of a played action (deliveries, retries, duplicates):
 * kept so the action can wait for it, and stopped through one signal. A task
 * that fails for any reason but that stop is a bug in the emulator, kept to
 * fail the action with.
 *
 * @example
 * ```ts
 * const tasks = new BackgroundTasks();
 * tasks.track(deliver(job, tasks.signal));
 * await tasks.settle();
 * if (tasks.failure !== undefined) throw tasks.failure;
 * ```
 */
export class BackgroundTasks {
  private readonly tasks = new Set<Promise<void>>();
  private readonly scheduling = new AbortController();
  private firstFailure: unknown;

  /** Aborted when no more work may be scheduled (stop, abort, or no waiting for late work). */
  public get signal(): AbortSignal {
    return this.scheduling.signal;
  }

  /** The first error a task failed with (not counting the stop). */
  public get failure(): unknown {
    return this.firstFailure;
  }

  public track(task: Promise<void>): void {
    const tracked = task.catch((err: unknown) => {
      if (this.scheduling.signal.aborted) return;
      this.firstFailure ??= err;
    });
    this.tasks.add(tracked);
    void tracked.finally(() => this.tasks.delete(tracked));
  }

  /** Resolves once every task, and every task they started, is over. */
  public async settle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all([...this.tasks]);
  }

  /** Schedules nothing more; `reason` is the signal's reason. */
  public stop(reason: unknown = new EmulatorStoppedError('The action ended')): void {
    if (!this.scheduling.signal.aborted) this.scheduling.abort(reason);
  }
}
