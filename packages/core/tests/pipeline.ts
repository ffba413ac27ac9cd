import { CodePipelineApiError, JobRegistry, startCodePipelineServer } from '@baton/testing';

/** The result a job accepted, flattened for assertions. */
export type AcceptedResult = { kind: 'success' | 'failure' } & Record<string, unknown>;

/**
 * The local CodePipeline emulator's API server, with per-job faults, for
 * protocol tests that drive invocations by hand.
 */
export interface TestPipeline {
  endpoint: string;
  /** A new in-progress Lambda job; returns its id. */
  createJob(): string;
  /** The result the job accepted, if any. */
  result(jobId: string): AcceptedResult | undefined;
  /** How many report requests the job accepted (CodePipeline accepts one). */
  resultCount(jobId: string): number;
  /** Answer the job's next `n` report requests with 503 ServiceUnavailable. */
  failReports(jobId: string, n: number): void;
  /** Apply the job's next `n` reports but drop the answers. */
  loseResponses(jobId: string, n: number): void;
  stop(): Promise<void>;
}

export async function startTestPipeline(): Promise<TestPipeline> {
  const registry = new JobRegistry();
  const failing = new Map<string, number>();
  const losing = new Map<string, number>();
  const accepted = new Map<string, number>();
  const take = (map: Map<string, number>, jobId: string): boolean => {
    const left = map.get(jobId) ?? 0;
    if (left <= 0) return false;
    map.set(jobId, left - 1);
    return true;
  };
  const server = await startCodePipelineServer({
    registry,
    hooksFor: () => ({
      beforeApply: (request) =>
        take(failing, request.jobId)
          ? {
              action: 'fail',
              error: new CodePipelineApiError('ServiceUnavailable', 'injected outage', {
                statusCode: 503,
              }),
            }
          : undefined,
      afterApply: (request, outcome) => {
        if (outcome.ok && request.operation.startsWith('PutJob')) {
          accepted.set(request.jobId, (accepted.get(request.jobId) ?? 0) + 1);
        }
        return take(losing, request.jobId) ? { action: 'drop' } : undefined;
      },
    }),
  });
  return {
    endpoint: server.endpoint,
    createJob: () => registry.create({ data: {} }).id,
    result: (jobId) => {
      const result = registry.get(jobId)?.result;
      return result ? { kind: result.kind, ...(result.input as object) } : undefined;
    },
    resultCount: (jobId) => accepted.get(jobId) ?? 0,
    failReports: (jobId, n) => void failing.set(jobId, n),
    loseResponses: (jobId, n) => void losing.set(jobId, n),
    stop: () => server.close(),
  };
}
