import { defineJob, type Job, succeed, wait } from '@baton/core';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type PollParams, readStatus, toPollParams } from './poll-status.js';

interface PollState {
  polls: number;
  /** Filler that gives the state a chosen size (write-unit measurements); absent otherwise. */
  pad?: string;
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
export const batonPollJob: Job<PollState, PollParams> = pollJob({ polls: 0 });

/**
 * The polling action whose state is about `stateBytes` of JSON (a filler
 * string carried from poll to poll), to measure what state size costs.
 */
export function batonPollJobWithState(stateBytes: number): Job<PollState, PollParams> {
  const overhead = JSON.stringify({ polls: 0, pad: '' }).length;
  return pollJob({ polls: 0, pad: 'x'.repeat(Math.max(0, stateBytes - overhead)) });
}

function pollJob(initialState: PollState): Job<PollState, PollParams> {
  return defineJob<PollState, PollParams>({
    name: 'bench-poll',
    params: pollParamsSchema,
    initialState,
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
}
