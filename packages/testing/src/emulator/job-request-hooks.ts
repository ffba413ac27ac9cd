import type { CodePipelineApiError } from './codepipeline-errors.js';
import type { CodePipelineOperation } from './codepipeline-shapes.js';

/** A request about one job, as the hooks of its job see it. */
export interface JobRequest {
  operation: CodePipelineOperation;
  jobId: string;
  /** The parsed JSON body, before validation. */
  body: unknown;
}

/** How a request ended on the server. */
export type JobRequestOutcome =
  | { ok: true; output: unknown }
  | { ok: false; error: CodePipelineApiError };

/** What to do with a request before it is applied. */
export type BeforeApplyDirective =
  /** Answer with this error instead of applying (throttling, 5xx). */
  | { action: 'fail'; error: CodePipelineApiError }
  /** Apply nothing and close the connection without an answer. */
  | { action: 'drop' };

/** What to do with the answer once the request was applied. */
export type AfterApplyDirective =
  /** Close the connection instead of answering: the effect stays, the answer is lost. */
  { action: 'drop' };

/** Hooks the owner of a job (an action being played) sets on requests about it. */
export interface JobRequestHooks {
  beforeApply?(
    request: JobRequest,
  ): BeforeApplyDirective | undefined | Promise<BeforeApplyDirective | undefined>;
  afterApply?(
    request: JobRequest,
    outcome: JobRequestOutcome,
  ): AfterApplyDirective | undefined | Promise<AfterApplyDirective | undefined>;
}
