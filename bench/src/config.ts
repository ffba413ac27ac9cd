/** How much work each section does. `BENCH_QUICK=1` shrinks everything for a smoke run. */
export interface BenchConfig {
  quick: boolean;
  /** Polls the status endpoint answers "in progress" before "done": invocations per action. */
  pollsPerAction: number;
  /**
   * Seconds a polling action waits between polls. Small, so the bench measures
   * the handlers rather than sleeping; every wait still goes through a continuation.
   */
  intervalSeconds: number;
  /** Round-robin rounds of the latency comparison (one invocation per variant each). */
  latencyRounds: number;
  /** Round-robin rounds of the metrics and tracing overhead comparison. */
  observabilityRounds: number;
  /** Interleaved rounds of the request shapes on DynamoDB Local (request-shapes.ts). */
  requestShapeRounds: number;
  /** Rounds dropped at the start of the latency comparison (JIT, connection set-up). */
  warmupRounds: number;
  /** Times each duplicate-delivery scenario is played per variant. */
  duplicateRepeats: number;
  /** Fresh Node processes per bundle for the cold start. */
  coldStartRuns: number;
  /** Concurrent actions per level of the scale test. */
  scaleLevels: number[];
  /** Every n-th delivery of the scale test also gets a concurrent duplicate (0: none). */
  scaleDuplicateEvery: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  return {
    quick,
    pollsPerAction: 5,
    intervalSeconds: 0.005,
    latencyRounds: quick ? 60 : 600,
    observabilityRounds: quick ? 60 : 600,
    requestShapeRounds: quick ? 40 : 300,
    warmupRounds: quick ? 10 : 50,
    duplicateRepeats: quick ? 2 : 10,
    coldStartRuns: positiveInteger(env.BENCH_COLD_START_RUNS) ?? (quick ? 3 : 15),
    scaleLevels: quick ? [10, 25] : [25, 50, 100, 200],
    scaleDuplicateEvery: 10,
  };
}

/** `value` as a positive integer, or `undefined` when it is unset or not one. */
function positiveInteger(value: string | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}
