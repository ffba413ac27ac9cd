import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { type TextSink, UsageError } from './cli-command.js';

/** The `--help` / `-h` option every command takes. */
export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * A command's arguments read the way every `baton` command reads them:
 * strict options plus `--help`, then the positional arguments by name.
 *
 * @returns the option values and the positionals, or `undefined` when
 *   `--help` was given (the help text is then written to `stdout`)
 * @throws {UsageError} for an unknown option, a bad value or a wrong number of positionals
 * @example
 * ```ts
 * const parsed = parseCommand(args, { options: { json: { type: 'boolean' } }, help: HELP, stdout });
 * if (!parsed) return ExitCode.Success;
 * ```
 */
export function parseCommand<const T extends ParseArgsOptionsConfig>(
  args: readonly string[],
  spec: { options: T; help: string; stdout: TextSink; positionals?: readonly string[] },
) {
  const { values, positionals } = parseCommandLine(args, { ...HELP_OPTION, ...spec.options });
  // `help` is in every command's options (HELP_OPTION); the generic spread hides it from the type.
  if ((values as { help?: boolean }).help) {
    spec.stdout.write(spec.help);
    return undefined;
  }
  return { values, positionals: expectPositionals(positionals, spec.positionals ?? []) };
}

/**
 * `node:util` `parseArgs` in strict mode, with its errors turned into
 * {@link UsageError}s that say what is wrong in plain words.
 *
 * @example
 * ```ts
 * const { values, positionals } = parseCommandLine(args, { json: { type: 'boolean' } });
 * ```
 */
export function parseCommandLine<const T extends ParseArgsOptionsConfig>(
  args: readonly string[],
  options: T,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (err) {
    if (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(plainParseError(err.message));
    }
    throw err;
  }
}

function plainParseError(message: string): string {
  // Node's messages end with hints meant for scripts ("To specify a positional argument …").
  return message.split('\n')[0]?.replace(/\. To specify .*$/, '') ?? message;
}

/**
 * Reads a whole number ≥ `min` given for `--name`.
 *
 * @example
 * ```ts
 * integerOption('limit', '20', 1); // 20
 * ```
 */
export function integerOption(name: string, text: string, min: number): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) {
    throw new UsageError(`--${name} must be a whole number ≥ ${min}, got '${text}'`);
  }
  return Number(text);
}

/**
 * Reads a positive number given for `--name`, as a decimal (`0.05`) or a
 * fraction (`1/20`).
 *
 * @example
 * ```ts
 * positiveNumberOption('time-scale', '1/20'); // 0.05
 * ```
 */
export function positiveNumberOption(name: string, text: string): number {
  const fraction = /^\s*([\d.]+)\s*\/\s*([\d.]+)\s*$/.exec(text);
  const value = fraction ? Number(fraction[1]) / Number(fraction[2]) : Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`--${name} must be a positive number (e.g. 0.05 or 1/20), got '${text}'`);
  }
  return value;
}

/**
 * Checks the number of positional arguments.
 *
 * @example
 * ```ts
 * const [runId] = expectPositionals(positionals, ['runId']);
 * ```
 */
export function expectPositionals(
  positionals: readonly string[],
  names: readonly string[],
): string[] {
  if (positionals.length < names.length) {
    const missing = names.slice(positionals.length).map((name) => `<${name}>`);
    throw new UsageError(`missing ${missing.join(' ')}`);
  }
  if (positionals.length > names.length) {
    const extra = positionals.slice(names.length).map((arg) => `'${arg}'`);
    throw new UsageError(`unexpected argument${extra.length > 1 ? 's' : ''} ${extra.join(' ')}`);
  }
  return [...positionals];
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Reads a point in time given for `--name`: an age (`90s`, `30m`, `2h`, `7d`)
 * counted back from `now`, or an ISO 8601 date-time.
 *
 * @example
 * ```ts
 * timeOption('since', '2h', Date.now()); // two hours ago, epoch ms
 * ```
 */
export function timeOption(name: string, text: string, now: number): number {
  const age = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/.exec(text);
  if (age) return now - Number(age[1]) * (UNIT_MS[age[2] as string] as number);
  const at = /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? Date.parse(text) : Number.NaN;
  if (Number.isFinite(at)) return at;
  throw new UsageError(
    `--${name} must be an age (e.g. 30m, 2h, 7d) or an ISO 8601 time (e.g. 2026-12-01T10:00:00Z), got '${text}'`,
  );
}
