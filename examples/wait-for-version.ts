import { createLambdaHandler, defineJob, fail, succeed, wait } from '@baton/core';
import * as z from 'zod';

// UserParameters of the action, e.g. {"url":"https://api.example.com/health","version":"1.4.2"}
const params = z.object({
  url: z.url(),
  version: z.string().min(1),
  intervalSeconds: z.number().positive().default(30),
  maxChecks: z.number().int().positive().default(120),
});

export const job = defineJob({
  name: 'wait-for-version',
  params,
  initialState: { checks: 0, lastSeen: '' },
  firstStep: 'check',
  // A failing health endpoint is retried 5 times, 10 s, 20 s, 40 s … apart.
  retry: { maximumAttempts: 5, initialIntervalSeconds: 10 },
  steps: {
    check: async ({ params, state, signal }) => {
      const response = await fetch(params.url, { signal });
      if (!response.ok) throw new Error(`health check answered HTTP ${response.status}`);
      const { version } = (await response.json()) as { version?: string };
      if (version === params.version) {
        return succeed({ outputVariables: { version }, summary: `version ${version} is live` });
      }
      const checks = state.checks + 1;
      if (checks >= params.maxChecks) {
        return fail({ message: `still at version ${version} after ${checks} checks` });
      }
      return wait({
        seconds: params.intervalSeconds,
        percentComplete: Math.floor((checks / params.maxChecks) * 100),
        summary: `live version is ${version}, waiting for ${params.version}`,
        state: { checks, lastSeen: String(version) },
      });
    },
  },
});

// The Lambda handler: set BATON_TABLE_NAME on the function.
export const handler = createLambdaHandler(job);
