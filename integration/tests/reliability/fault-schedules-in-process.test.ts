/**
 * Fault schedules with handlers in the test process: duplicate deliveries
 * (sequential and concurrent), DynamoDB throttling, 5xx and lost answers,
 * CodePipeline throttling, 5xx and lost answers (then InvalidJobStateException),
 * steps that throw or outlive the time budget. See README.md.
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
