import { createLambdaHandler, defineJob, fail, goTo, succeed, wait } from '@baton/core';
import * as z from 'zod';

// The action's UserParameters, e.g. {"apiUrl":"https://deploy.example.com","version":"1.4.2"}
export const params = z.object({
  apiUrl: z.url(),
  version: z.string().min(1),
  intervalSeconds: z.number().positive().default(30),
});

// What the deployment API answers to POST /deployments and GET /deployments/{id}.
const deployment = z.object({
  id: z.string(),
  status: z.enum(['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'ROLLED_BACK']),
  progress: z.number(),
});

async function callApi(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return deployment.parse(await response.json());
}

export const job = defineJob({
  name: 'deploy',
  params,
  initialState: { deploymentId: '', checks: 0 },
  firstStep: 'start',
  steps: {
    // Starts the deployment. Should this step run again (the invocation died
    // before Baton committed it), the same Idempotency-Key makes the API
    // answer with the deployment it already started.
    start: async ({ params, idempotencyKey, signal }) => {
      const started = await callApi(`${params.apiUrl}/deployments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify({ version: params.version }),
        signal,
      });
      return goTo('poll', { deploymentId: started.id });
    },
    // Polls until the deployment ends, showing its progress in CodePipeline.
    poll: async ({ params, state, signal }) => {
      const id = encodeURIComponent(state.deploymentId);
      const current = await callApi(`${params.apiUrl}/deployments/${id}`, { signal });
      if (current.status === 'SUCCEEDED') {
        return succeed({
          outputVariables: { deploymentId: current.id },
          summary: `version ${params.version} deployed`,
        });
      }
      if (current.status !== 'IN_PROGRESS') {
        return fail({ message: `deployment ${current.id} ended ${current.status}` });
      }
      return wait({
        seconds: params.intervalSeconds,
        percentComplete: current.progress,
        summary: `deployment ${current.id}: ${current.progress}% done`,
        state: { checks: state.checks + 1 },
      });
    },
  },
});

// The Lambda handler, production defaults: set BATON_TABLE_NAME on the function.
export const handler = createLambdaHandler(job);
