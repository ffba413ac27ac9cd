import { createRequire } from 'node:module';
import {
  type CliCommand,
  type CliIo,
  CommandFailure,
  ExitCode,
  UsageError,
} from './cli-command.js';
import { bundleCommand } from './commands/bundle-command.js';
import { eventCommand } from './commands/event-command.js';
import { localCommand } from './commands/local-command.js';
import { runsListCommand } from './commands/runs-list-command.js';
import { runsShowCommand } from './commands/runs-show-command.js';
import { runsSweepCommand } from './commands/runs-sweep-command.js';
import { runsWatchCommand } from './commands/runs-watch-command.js';
import { tableCreateCommand } from './commands/table-create-command.js';

/** Every `baton` command. */
export const COMMANDS: readonly CliCommand[] = [
  localCommand,
  eventCommand,
  bundleCommand,
  runsListCommand,
  runsShowCommand,
  runsWatchCommand,
  runsSweepCommand,
  tableCreateCommand,
];

const HELP = `Usage: baton <command> [options]

Baton: durable long-running AWS CodePipeline Lambda actions.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(14)}${command.summary}`).join('\n')}

Run 'baton <command> --help' for a command's options.
Exit status: 0 success, 1 failure, 2 usage error, 130 interrupted (Ctrl-C).
`;

/**
 * Runs the `baton` command line: dispatches `argv` (without `node` and the
 * script) to its command, prints usage errors with a pointer to `--help`,
 * and returns the exit status instead of exiting, so tests can call it.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), {
 *   stdout: process.stdout,
 *   stderr: process.stderr,
 *   now: Date.now,
 * });
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(HELP);
    return ExitCode.Usage;
  }
  if (first === '--help' || first === '-h') {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  if (first === 'help') return help(rest, io);
  if (first === '--version' || first === '-v') {
    io.stdout.write(`baton ${version()}\n`);
    return ExitCode.Success;
  }
  const found = findCommand(argv);
  if (!found) return unknownCommand(argv, io);
  const { command, args } = found;
  try {
    const code = await command.run(args, io);
    // A command that finished anyway after Ctrl-C still reports the interruption.
    return io.signal?.aborted ? interrupted(command, io) : code;
  } catch (err) {
    if (io.signal?.aborted) return interrupted(command, io);
    if (err instanceof UsageError) {
      io.stderr.write(
        `baton ${command.name}: ${err.message}\nRun 'baton ${command.name} --help' for usage.\n`,
      );
      return ExitCode.Usage;
    }
    if (err instanceof CommandFailure) {
      io.stderr.write(`baton ${command.name}: ${err.message}\n`);
      return ExitCode.Failure;
    }
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    io.stderr.write(`baton ${command.name}: ${text}\n`);
    if (process.env.BATON_DEBUG && err instanceof Error && err.stack) {
      io.stderr.write(`${err.stack}\n`);
    }
    return ExitCode.Failure;
  }
}

function interrupted(command: CliCommand, io: CliIo): number {
  io.stderr.write(`baton ${command.name}: interrupted\n`);
  return ExitCode.Interrupted;
}

/** The command whose words start `argv`, and the arguments after them. */
function findCommand(
  argv: readonly string[],
): { command: CliCommand; args: readonly string[] } | undefined {
  for (const command of COMMANDS) {
    const words = command.name.split(' ');
    if (words.every((word, index) => argv[index] === word)) {
      return { command, args: argv.slice(words.length) };
    }
  }
  return undefined;
}

/** `baton help [command…]`. */
function help(words: readonly string[], io: CliIo): number {
  if (words.length === 0) {
    io.stdout.write(HELP);
    return ExitCode.Success;
  }
  const found = findCommand(words);
  if (found && found.args.length === 0) {
    io.stdout.write(found.command.help);
    return ExitCode.Success;
  }
  const group = groupHelp(words[0] ?? '');
  if (group && words.length === 1) {
    io.stdout.write(group);
    return ExitCode.Success;
  }
  io.stderr.write(`baton help: no command '${words.join(' ')}'\n\n${HELP}`);
  return ExitCode.Usage;
}

/** A group word alone (`baton runs`), `baton runs --help`, or an unknown command. */
function unknownCommand(argv: readonly string[], io: CliIo): number {
  const [first = '', second] = argv;
  const group = groupHelp(first);
  if (group) {
    if (second === '--help' || second === '-h') {
      io.stdout.write(group);
      return ExitCode.Success;
    }
    const problem =
      second === undefined
        ? `missing a command after '${first}'`
        : `unknown command '${first} ${second}'`;
    io.stderr.write(`baton: ${problem}\n\n${group}`);
    return ExitCode.Usage;
  }
  io.stderr.write(`baton: unknown command '${first}'\nRun 'baton --help' for the commands.\n`);
  return ExitCode.Usage;
}

/** Help for a group of commands (`runs`, `table`), or `undefined` when `word` is none. */
function groupHelp(word: string): string | undefined {
  const members = COMMANDS.filter((command) => command.name.startsWith(`${word} `));
  if (members.length === 0) return undefined;
  return `Usage: baton ${word} <command> [options]\n\nCommands:\n${members
    .map((command) => `  ${command.name.padEnd(14)}${command.summary}`)
    .join('\n')}\n\nRun 'baton ${word} <command> --help' for a command's options.\n`;
}

function version(): string {
  // src/ and dist/ are both one level below the package root.
  const require = createRequire(import.meta.url);
  return (require('../package.json') as { version: string }).version;
}
