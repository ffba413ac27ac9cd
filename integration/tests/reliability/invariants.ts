/**
 * The invariants every fault schedule must keep (numbered as in README.md).
 * Each check returns messages that say what was broken, so a failing
 * schedule explains itself.
 */
import type { RunRecord } from '@baton/core';
import { checkInvocations } from './invocation-invariants.js';
import { checkOutcome } from './outcome-invariants.js';
import { checkReports } from './report-invariants.js';
import type { PlayedSchedule } from './run-schedule.js';
import { checkSecrets } from './secret-invariants.js';
import { checkSteps } from './step-invariants.js';
import { checkProgress, checkTable } from './table-invariants.js';

/** The run item as read after one invocation ended. */
export interface RunSnapshot {
  after: string;
  run: RunRecord;
  historyCount: number;
}

/** What the checks need to know about the test process. */
export interface CheckOptions {
  /**
   * How long the test process's event loop was held up at most while the
   * schedule played: an in-process handler may return that much after its
   * deadline without being at fault (the emulator, whose timer shares the
   * loop, is the authority: it says whether the invocation timed out).
   */
  lagMs: number;
}

export function checkInvariants(p: PlayedSchedule, options: CheckOptions): string[] {
  return [
    ...checkOutcome(p),
    ...checkReports(p),
    ...checkSteps(p),
    ...checkProgress(p),
    ...checkInvocations(p, options.lagMs),
    ...checkTable(p),
    ...checkSecrets(p),
  ];
}
