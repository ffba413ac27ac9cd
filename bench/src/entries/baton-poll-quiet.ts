// Lambda entry of the polling action written with Baton, with its default
// observability off (logs at WARN, no EMF metrics, no tracing): bundled for
// the cold start beside baton-poll.ts, to show what the defaults cost there.
import { createJsonLogger, createLambdaHandler } from '@baton/core';
import { batonPollJob } from '../actions/baton-poll-job.js';

export const handler = createLambdaHandler(batonPollJob, {
  logger: createJsonLogger({ level: 'WARN', attributes: { service: 'baton' } }),
  metrics: false,
  tracing: false,
});
