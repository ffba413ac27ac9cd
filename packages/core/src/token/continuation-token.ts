import { createHash, randomBytes } from 'node:crypto';
import { ConfigurationError } from '../errors.js';

/** What a Baton continuation token carries. */
export interface ContinuationToken {
  /** The run the token continues. */
  runId: string;
  /** `jobSeq` of the job that carries the token (1 for the first continuation). */
  jobSeq: number;
  /** The run's random nonce; a token whose nonce is not the run's is rejected. */
  nonce: string;
}

/** Prefix and version of the token format; a new format gets a new prefix. */
export const TOKEN_PREFIX = 'bt1';
const TOKEN_PATTERN = /^bt1\.([0-9a-f]{32})\.(\d{1,9})\.([A-Za-z0-9_-]{22})$/;
/** CodePipeline's limit on `continuationToken`. */
export const MAX_TOKEN_LENGTH = 2048;

/**
 * Encodes a token: `bt1.<runId>.<jobSeq>.<nonce>` (about 70 characters).
 *
 * @example
 * ```ts
 * encodeToken({ runId, jobSeq: 1, nonce }); // 'bt1.5f0c….1.Qm9…'
 * ```
 */
export function encodeToken(token: ContinuationToken): string {
  return `${TOKEN_PREFIX}.${token.runId}.${token.jobSeq}.${token.nonce}`;
}

/**
 * Decodes a token, or throws {@link ConfigurationError} saying why it is not a
 * Baton token. Whether it matches its run is checked against the store.
 *
 * @example
 * ```ts
 * decodeToken('A continuation token if continuing job'); // throws ConfigurationError
 * ```
 */
export function decodeToken(text: string): ContinuationToken {
  const match = TOKEN_PATTERN.exec(text);
  if (!match) {
    const shown = text.length > 60 ? `${text.slice(0, 60)}…` : text;
    const why = !text.startsWith(`${TOKEN_PREFIX}.`)
      ? 'it was not issued by Baton'
      : 'it is truncated or malformed';
    throw new ConfigurationError(
      `continuationToken ${JSON.stringify(shown)} (${text.length} chars) is not a Baton token: ${why}`,
    );
  }
  const jobSeq = Number(match[2]);
  if (jobSeq < 1) {
    throw new ConfigurationError('continuationToken has sequence 0; continuations start at 1');
  }
  return { runId: match[1] as string, jobSeq, nonce: match[3] as string };
}

/**
 * The run id of a first job: derived from the job id, so a duplicate of the
 * first event finds the same run.
 *
 * @example
 * ```ts
 * runIdForJob('c0d76431-b0e7-xmpl-97e3-e8ee786eb6f6'); // 32 hex chars
 * ```
 */
export function runIdForJob(jobId: string): string {
  return createHash('sha256').update(`baton-run:${jobId}`).digest('hex').slice(0, 32);
}

/**
 * A new random per-run nonce (128 bits, base64url).
 *
 * @example
 * ```ts
 * newNonce().length; // 22
 * ```
 */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}
