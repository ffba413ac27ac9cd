import os from 'node:os';
import { type BenchEnv, startBenchEnv } from './bench-env.js';
import { readConfig } from './config.js';

/** How one section of BENCHMARKS.md is measured and rendered when it runs alone. */
export interface SectionAlone<T> {
  measure(env: BenchEnv): Promise<T>;
  render(out: string[], result: T): void;
  /** Where the section goes: stderr when stdout carries Baton's metric lines (EMF). */
  to: NodeJS.WriteStream;
}

/**
 * Starts the bench's environment, measures one section, prints it with the
 * load average at its start and end, and stops the environment: the
 * `pnpm --filter @baton/bench <section>` commands.
 *
 * @example
 * ```ts
 * await runSectionAlone({ measure: measureLatency, render: (out, latency) => renderLatency(out, { latency, command }), to: process.stderr });
 * ```
 */
export async function runSectionAlone<T>(section: SectionAlone<T>): Promise<void> {
  const env = await startBenchEnv(readConfig());
  try {
    const loadAverageStart = os.loadavg()[0] ?? 0;
    const result = await section.measure(env);
    const out: string[] = [];
    section.render(out, result);
    section.to.write(
      `${out.join('\n')}\n\nLoad average ${loadAverageStart.toFixed(2)} at the start, ${(os.loadavg()[0] ?? 0).toFixed(2)} at the end.\n`,
    );
  } finally {
    await env.stop();
  }
}
