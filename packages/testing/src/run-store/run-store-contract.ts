import { abandonCases } from './abandon-cases.js';
import { claimCases } from './claim-cases.js';
import { commitCases } from './commit-cases.js';
import { commitRetryCases } from './commit-retry-cases.js';
import type { RunStoreContractCase } from './contract-fixtures.js';
import { crashAccountingCases } from './crash-accounting-cases.js';
import { jobVersionCases } from './job-version-cases.js';
import { peekCases } from './peek-cases.js';
import { replyWindowCases } from './reply-window-cases.js';
import { reportOwnerCases } from './report-owner-cases.js';

export type { RunStoreContractCase } from './contract-fixtures.js';

/**
 * The semantics every {@link RunStore} must have, case by case: the claim
 * rule clause by clause, the lease, take-over, renewal and release, the
 * commit conditional on the lease, the crash counts it keeps or clears, history, TTL fields, the reply window a
 * job's first claim stores, who reports a committed outcome, the read-only `peekRun`, the stored job version, and what a repeated request (its first answer
 * lost) sees. Run it against each implementation with the test runner of your
 * choice; every case uses its own run ids, so one store can serve them all.
 *
 * @example
 * ```ts
 * const store = new InMemoryRunStore();
 * for (const c of runStoreContract) it(c.name, () => c.run(store));
 * ```
 */
export const runStoreContract: readonly RunStoreContractCase[] = [
  ...claimCases,
  ...commitCases,
  ...commitRetryCases,
  ...crashAccountingCases,
  ...abandonCases,
  ...replyWindowCases,
  ...peekCases,
  ...jobVersionCases,
  ...reportOwnerCases,
];
