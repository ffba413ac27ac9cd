export { type CliIo, ExitCode, type TextSink } from './cli-command.js';
export { DEMO_SETTINGS, type DemoOptions, type DemoResult, runDemo } from './demo/run-demo.js';
export { runCli } from './run-cli.js';
