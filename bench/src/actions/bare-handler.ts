import {
  type CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { readStatus, toPollParams } from './poll-status.js';

/** The Lambda event fields a bare handler reads. */
export interface PollEvent {
  'CodePipeline.job': {
    id: string;
    data: {
      actionConfiguration: { configuration: { UserParameters?: string } };
      continuationToken?: string;
    };
  };
}

/** What the bare handler returns (Powertools stores it as the idempotent result). */
export interface BareResult {
  outcome: 'continued' | 'succeeded' | 'failed';
  polls: number;
}

/**
 * The polling action written like AWS's continuation-token sample: no store,
 * no idempotency. The state travels in the continuation token; every error is
 * reported with PutJobFailureResult, and an error from that is thrown (Lambda
 * then retries the event).
 */
export function createBareHandler(
  client: CodePipelineClient,
): (event: PollEvent) => Promise<BareResult> {
  return async (event) => {
    const job = event['CodePipeline.job'];
    const jobId = job.id;
    let polls = 0;
    try {
      const params = toPollParams(
        JSON.parse(job.data.actionConfiguration.configuration.UserParameters ?? ''),
      );
      const state = job.data.continuationToken
        ? (JSON.parse(job.data.continuationToken) as { polls: number })
        : { polls: 0 };
      const reading = await readStatus(params.url);
      polls = state.polls + 1;
      if (reading.done) {
        await client.send(
          new PutJobSuccessResultCommand({
            jobId,
            outputVariables: { polls: String(polls) },
            executionDetails: { summary: `done after ${polls} polls`, percentComplete: 100 },
          }),
        );
        return { outcome: 'succeeded', polls };
      }
      await client.send(
        new PutJobSuccessResultCommand({
          jobId,
          continuationToken: JSON.stringify({ polls }),
          executionDetails: {
            summary: `poll ${polls}: ${reading.status}`,
            percentComplete: Math.min(99, Math.max(0, Math.round(reading.progress))),
          },
        }),
      );
      return { outcome: 'continued', polls };
    } catch (err) {
      await client.send(
        new PutJobFailureResultCommand({
          jobId,
          failureDetails: { type: 'JobFailed', message: String(err).slice(0, 5000) },
        }),
      );
      return { outcome: 'failed', polls };
    }
  };
}
