/**
 * Fault schedules with handlers in worker containers, each holding real
 * crashes: inside a step (once, or every time), right before or after the
 * claim or the commit (`process.exit` in the worker, on a signal from the
 * DynamoDB proxy), at a random moment, and when the report arrives or was
 * applied. A third of them make Lambda's first retry come late in the job's
 * 20-minute reply window. See README.md.
 */
import { describe } from 'vitest';
import { describeFaultSchedules } from './property.js';

describe('fault schedules, worker handlers that crash', () => {
  describeFaultSchedules(
    'worker',
    'integration/tests/reliability/fault-schedules-workers.test.ts',
    'crashes at every boundary never lose progress, never run a committed step again, never report twice',
  );
});
