import type { LambdaContainer } from './lambda-container.js';

/**
 * The warm containers of one emulated function, as Lambda keeps them: an
 * invocation takes an idle live container or gets a new one (a cold start); a
 * container that died is never reused.
 *
 * @example
 * ```ts
 * const pool = new ContainerPool((id) => new InProcessContainer(id, handler));
 * const container = pool.acquire();
 * try { await container.invoke(request); } finally { pool.release(container); }
 * await pool.dispose();
 * ```
 */
export class ContainerPool {
  private readonly idle: LambdaContainer[] = [];
  private readonly all = new Set<LambdaContainer>();
  private readonly stopping = new Set<Promise<void>>();
  private created = 0;
  private closed = false;

  private readonly create: (id: string) => LambdaContainer;

  /** @param create makes a container with the given id (`c1`, `c2`, ...). */
  public constructor(create: (id: string) => LambdaContainer) {
    this.create = create;
  }

  /** An idle live container, or a new one. */
  public acquire(): LambdaContainer {
    if (this.closed) throw new Error('The emulated function was shut down');
    for (let container = this.idle.pop(); container; container = this.idle.pop()) {
      if (container.alive) return container;
      this.all.delete(container);
    }
    this.created += 1;
    const container = this.create(`c${this.created}`);
    this.all.add(container);
    return container;
  }

  /** Hands a container back after an invocation; a dead one is dropped. */
  public release(container: LambdaContainer): void {
    if (container.alive) this.idle.push(container);
    else this.all.delete(container);
  }

  /** Resolves once the output of every live container's returned invocations has arrived. */
  public async outputSettled(): Promise<void> {
    await Promise.all([...this.all].map((container) => container.outputSettled?.()));
  }

  /** Kills every container, busy or idle; resolves once all are gone (also those an earlier call is killing). */
  public async dispose(reason = 'the emulated function was shut down'): Promise<void> {
    this.closed = true;
    const containers = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    for (const container of containers) {
      const stopping = container.kill(reason);
      this.stopping.add(stopping);
      void stopping.finally(() => this.stopping.delete(stopping));
    }
    await Promise.all([...this.stopping]);
  }
}
