/**
 * Fault schedules with handlers in the test process: duplicate deliveries
 * (sequential and concurrent), DynamoDB throttling, 5xx, transaction conflicts
 * and lost answers, CodePipeline throttling, 5xx and lost answers (then
 * InvalidJobStateException), steps that throw, outlive every time budget, or
 * outlive what is left of one after other work. See README.md.
 */
import { describe } from 'vitest';
import { describeFaultSchedules } from './property.js';

describe('fault schedules, in-process handlers', () => {
  describeFaultSchedules(
    'in-process',
    'integration/tests/reliability/fault-schedules-in-process.test.ts',
    'every action ends with one accepted result, no committed step runs again, nothing goes back',
  );
});
