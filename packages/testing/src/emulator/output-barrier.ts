/**
 * A container's output reaches its owner on its own channel (a worker's
 * stdout/stderr streams, a child's pipes), not in step with the invocation's
 * result message: under load the result can come first. After each handler
 * returns, the container writes a barrier line on both streams; the owner
 * waits for the barriers before it reads the output of the run as complete.
 */

/** Starts a barrier line: never a line a handler writes, and never shown as output. */
const PREFIX = '\u0000baton-emulator-output-barrier:';
const STREAMS = ['stdout', 'stderr'] as const;

/** The barrier line of `invocationId`, without its newline. */
export function barrierLine(invocationId: string): string {
  return `${PREFIX}${invocationId}`;
}

/** The invocation id a barrier line names, or `undefined` for any other line. */
export function barrierOf(line: string): string | undefined {
  return line.startsWith(PREFIX) ? line.slice(PREFIX.length) : undefined;
}

/**
 * The barriers one container owes: one per stream for each invocation whose
 * handler returned.
 *
 * @example
 * ```ts
 * barriers.returned('j1-d1-a1');          // on the result message
 * barriers.seen('stdout', 'j1-d1-a1');     // on each barrier line
 * await barriers.settled();               // before reading the output as complete
 * ```
 */
export class OutputBarriers {
  readonly #returned = new Set<string>();
  readonly #seen = new Set<string>();

  public returned(invocationId: string): void {
    this.#returned.add(invocationId);
  }

  public seen(stream: 'stdout' | 'stderr', invocationId: string): void {
    this.#seen.add(`${stream}:${invocationId}`);
  }

  /** Whether every barrier owed so far arrived. */
  public get complete(): boolean {
    for (const id of this.#returned) {
      for (const stream of STREAMS) if (!this.#seen.has(`${stream}:${id}`)) return false;
    }
    return true;
  }

  /** Resolves once every barrier owed arrived, or after `capMs` (a container killed meanwhile owes none). */
  public async settled(capMs = 2000): Promise<void> {
    const until = Date.now() + capMs;
    while (!this.complete && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
