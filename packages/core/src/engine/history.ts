import { redactText } from '../logging/redacting-logger.js';
import { fitText } from '../pipeline/limits.js';
import type { HistoryEntry } from '../store/run-record.js';
import type { Cursor } from './cursor.js';

/** Longest detail a history entry keeps (user-supplied text is in it). */
export const MAX_DETAIL_LENGTH = 500;

/** What a phase wants written in the run's history. */
export interface HistoryNote {
  /** goTo, wait, succeed, fail, error, resume-later, deadline, handed-on. */
  outcome: string;
  detail?: string | undefined;
}

/**
 * The history entries of one invocation, in order; committed as one history
 * item.
 *
 * @example
 * ```ts
 * history.record(cursor, { outcome: 'goTo', detail: 'poll' }, clock.now());
 * ```
 */
export class InvocationHistory {
  readonly #entries: HistoryEntry[] = [];

  /** Adds `note` for the cursor's step and attempt. */
  public record(cursor: Cursor, note: HistoryNote, at: number): void {
    this.#entries.push({
      at,
      step: cursor.step,
      attempt: cursor.attempt,
      outcome: note.outcome,
      ...(note.detail ? { detail: note.detail } : {}),
    });
  }

  public get isEmpty(): boolean {
    return this.#entries.length === 0;
  }

  /** The entries with `secrets` removed from their details. */
  public redacted(secrets: readonly string[]): HistoryEntry[] {
    // Redacted, then cut: details carry user text (messages, names, keys).
    return this.#entries.map((entry) =>
      entry.detail
        ? { ...entry, detail: fitText(redactText(entry.detail, secrets), MAX_DETAIL_LENGTH) }
        : { ...entry },
    );
  }
}
