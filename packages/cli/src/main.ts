#!/usr/bin/env node
/**
 * The `baton` executable: runs {@link runCli} on the process's arguments.
 * Ctrl-C (or SIGTERM) stops a running command cleanly — workers, DynamoDB
 * Local and servers it started are stopped — and a second one exits at once.
 */
import { ExitCode } from './cli-command.js';
import { runCli } from './run-cli.js';

const controller = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (controller.signal.aborted) process.exit(ExitCode.Interrupted);
  controller.abort(new Error(`interrupted by ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// No top-level await: the module also builds as CommonJS.
void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
  now: Date.now,
}).then((code) => {
  process.exitCode = code;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  // Everything the command opened is closed by now; should a stray handle remain,
  // do not hang the shell for it.
  setTimeout(() => process.exit(), 2000).unref();
});
