/** Where the CLI writes text. `process.stdout` and `process.stderr` fit. */
export interface TextSink {
  write(text: string): unknown;
}

/** What a command runs with: its output streams, an abort signal and a clock. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Aborted on Ctrl-C / SIGTERM: long commands stop and clean up. */
  signal?: AbortSignal;
  /** Epoch milliseconds. */
  now(): number;
}

/** Exit statuses of `baton`. */
export const ExitCode = {
  /** The command did what was asked (`local`: the action succeeded). */
  Success: 0,
  /** The command failed (`local`: the action failed; AWS errors; run not found). */
  Failure: 1,
  /** The command line is wrong: unknown option, missing argument, bad value. */
  Usage: 2,
  /** Interrupted (Ctrl-C). */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A wrong command line; `baton` prints it with a pointer to `--help` and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A command failed in an expected way; `baton` prints the message alone and exits with 1. */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
}

/** One `baton` command, e.g. `runs list`. */
export interface CliCommand {
  /** The words after `baton`, e.g. `runs list`. */
  readonly name: string;
  /** One line for `baton --help`. */
  readonly summary: string;
  /** The full `--help` text. */
  readonly help: string;
  /**
   * Runs the command with the arguments after its name.
   * @returns the exit status
   * @throws {UsageError} for a wrong command line
   */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
