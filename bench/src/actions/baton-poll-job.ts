import { defineJob, type Job, succeed, wait } from '@baton/core';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type PollParams, readStatus, toPollParams } from './poll-status.js';

interface PollState {
  polls: number;
}

/** {@link toPollParams} as a Standard Schema, so Baton reports bad parameters itself. */
const pollParamsSchema: StandardSchemaV1<unknown, PollParams> = {
  '~standard': {
    version: 1,
    vendor: 'baton-bench',
    validate: (value) => {
      try {
        return { value: toPollParams(value) };
      } catch (err) {
        return { issues: [{ message: (err as Error).message }] };
      }
    },
  },
};

/**
 * The polling action as a Baton job: one step that polls once and either
 * succeeds or waits for the next poll. `maxInlineWaitSeconds: 0` sends every
 * wait through a continuation, as the bare and Powertools handlers do.
 */
export const batonPollJob: Job<PollState, PollParams> = defineJob<PollState, PollParams>({
  name: 'bench-poll',
  params: pollParamsSchema,
  initialState: { polls: 0 },
  firstStep: 'poll',
  maxInlineWaitSeconds: 0,
  steps: {
    poll: async ({ state, params, signal }) => {
      const reading = await readStatus(params.url, signal);
      const polls = state.polls + 1;
      if (reading.done) {
        return succeed({
          outputVariables: { polls: String(polls) },
          summary: `done after ${polls} polls`,
        });
      }
      return wait({
        seconds: params.intervalSeconds,
        percentComplete: Math.min(99, Math.max(0, Math.round(reading.progress))),
        summary: `poll ${polls}: ${reading.status}`,
        state: { polls },
      });
    },
  },
});
