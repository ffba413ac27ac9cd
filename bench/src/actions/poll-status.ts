/** UserParameters of the polling action, the same for all three ways of writing it. */
export interface PollParams {
  /** Status endpoint answering `{"status": "IN_PROGRESS" | "SUCCEEDED", "progress": 0–100}`. */
  url: string;
  /** Seconds to wait between polls (through a continuation). */
  intervalSeconds: number;
}

/** Checks parsed UserParameters; throws a message that names the field. */
export function toPollParams(value: unknown): PollParams {
  const v = value as Partial<PollParams> | null;
  if (typeof v?.url !== 'string' || !/^https?:\/\//.test(v.url)) {
    throw new Error('UserParameters.url must be an http(s) URL');
  }
  if (typeof v.intervalSeconds !== 'number' || !(v.intervalSeconds >= 0)) {
    throw new Error('UserParameters.intervalSeconds must be a number ≥ 0');
  }
  return { url: v.url, intervalSeconds: v.intervalSeconds };
}

export interface StatusReading {
  done: boolean;
  status: string;
  progress: number;
}

/**
 * Time spent in {@link readStatus} since the bench last reset it: the "poll"
 * share of an invocation in the latency breakdown.
 */
export const pollTiming = { totalMs: 0 };

/** One poll of the status endpoint. */
export async function readStatus(url: string, signal?: AbortSignal): Promise<StatusReading> {
  const started = performance.now();
  try {
    const response = await fetch(url, signal ? { signal } : {});
    if (!response.ok) throw new Error(`status endpoint answered HTTP ${response.status}`);
    const body = (await response.json()) as { status?: unknown; progress?: unknown };
    const status = typeof body.status === 'string' ? body.status : 'UNKNOWN';
    const progress = typeof body.progress === 'number' ? body.progress : 0;
    return { done: status === 'SUCCEEDED', status, progress };
  } finally {
    pollTiming.totalMs += performance.now() - started;
  }
}
