import type { RunRecord } from '../../store/run-record.js';
import type { ClaimRequest } from '../ports/run-store.js';

/**
 * The clauses of the claim rule, in the order they are checked. A claim holds
 * when the run is new (first job only) or when every clause that applies
 * holds. Each store states the rule in its own terms: `DynamoDBRunStore`
 * compiles these names into its condition expression (a `Record` over them,
 * so none can be left out), the in-memory store evaluates
 * {@link claimRefusal}; the store contract suite runs one case per clause
 * against both.
 */
export const ClaimClause = {
  /** Continuations only: the run exists. */
  RunExists: 'run-exists',
  /** Continuations only: the token's nonce is the run's. */
  NonceMatches: 'nonce-matches',
  /** The run has not finished. */
  Running: 'running',
  /** The job's `jobSeq` is the run's `nextJobSeq`. */
  SeqCurrent: 'seq-current',
  /** No other job claimed `nextJobSeq` (`nextJobId` absent or this job). */
  SeqFree: 'seq-free',
  /**
   * No live invocation holds the lease (none, or its `leaseUntil` has passed);
   * for a take-over instead: the lease is still `takeOverFrom`'s.
   */
  LeaseFree: 'lease-free',
} as const;
export type ClaimClause = (typeof ClaimClause)[keyof typeof ClaimClause];

/** The clauses a request must pass on an existing run, in order. */
export function claimClauses(request: ClaimRequest): readonly ClaimClause[] {
  const onRun: ClaimClause[] = [
    ClaimClause.Running,
    ClaimClause.SeqCurrent,
    ClaimClause.SeqFree,
    ClaimClause.LeaseFree,
  ];
  return request.create ? onRun : [ClaimClause.RunExists, ClaimClause.NonceMatches, ...onRun];
}

/** Whether one clause holds for `run` (`undefined`: no such run). */
export function clauseHolds(
  clause: ClaimClause,
  run: RunRecord | undefined,
  request: ClaimRequest,
): boolean {
  if (run === undefined) return false;
  switch (clause) {
    case ClaimClause.RunExists:
      return true;
    case ClaimClause.NonceMatches:
      return run.nonce === request.nonce;
    case ClaimClause.Running:
      return run.status === 'running';
    case ClaimClause.SeqCurrent:
      return run.nextJobSeq === request.jobSeq;
    case ClaimClause.SeqFree:
      return run.nextJobId === undefined || run.nextJobId === request.jobId;
    case ClaimClause.LeaseFree:
      return request.takeOverFrom !== undefined
        ? run.leaseOwner === request.takeOverFrom
        : run.leaseOwner === undefined ||
            (run.leaseUntil !== undefined && run.leaseUntil < request.now);
  }
}

/**
 * The first clause `run` fails for `request`, or `undefined` when the claim
 * holds. A first job's claim on no run at all holds (it creates the run).
 *
 * @example
 * ```ts
 * claimRefusal(run, request); // 'lease-free' while another invocation holds the run
 * ```
 */
export function claimRefusal(
  run: RunRecord | undefined,
  request: ClaimRequest,
): ClaimClause | undefined {
  if (run === undefined && request.create) return undefined;
  return claimClauses(request).find((clause) => !clauseHolds(clause, run, request));
}
