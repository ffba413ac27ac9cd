/**
 * The number `baton` shows for a job of a run: 1 for the first job, 2 for
 * the one carrying the first continuation token, and so on — as `baton
 * local`'s timeline, its `--crash`/`--duplicate` flags and the emulator
 * number them. The store counts the same jobs from 0 (`jobSeq`).
 *
 * @example
 * ```ts
 * jobNumberOf(run.nextJobSeq); // 1 while the first job runs
 * ```
 */
export function jobNumberOf(jobSeq: number): number {
  return jobSeq + 1;
}
