import { writeFile } from 'node:fs/promises';
import { DEFAULT_LAMBDA_EVENT_TEMPLATE } from '@baton/testing';
import { type CliCommand, CommandFailure, ExitCode, UsageError } from '../cli-command.js';
import { parseCommand } from '../parse-command-line.js';

const HELP = `Usage: baton event [--user-parameters <json>] [--function-name NAME] [--out FILE]

Writes a sample CodePipeline job event ({"CodePipeline.job": …}) for
'baton local --event', with your UserParameters in it. CodePipeline passes
UserParameters as one string, so JSON parameters sit in the event as an
escaped JSON string; give them here as plain JSON and this command escapes
them. Job id, continuation token and artifact credentials are left to
'baton local', which makes them per job.

Options:
  --user-parameters <json>  the action's UserParameters, e.g. '{"url":"https://…"}'
                            (checked to be JSON; default '{"KEY": "VALUE"}')
  --function-name NAME      the event's FunctionName (default my-function)
  --out FILE                write to FILE instead of stdout
  -h, --help                this help

Exit status: 0 written, 1 the file could not be written, 2 usage error.
`;

/**
 * `baton event`: writes a sample CodePipeline job event with the given
 * `UserParameters`, for `baton local --event`.
 *
 * @example
 * ```ts
 * await eventCommand.run(['--user-parameters', '{"url":"https://example.com"}', '--out', 'event.json'], io);
 * ```
 */
export const eventCommand: CliCommand = {
  name: 'event',
  summary: "write a sample CodePipeline job event for 'baton local --event'",
  help: HELP,
  async run(args, io) {
    const parsed = parseCommand(args, {
      options: {
        'user-parameters': { type: 'string' },
        'function-name': { type: 'string' },
        out: { type: 'string' },
      },
      help: HELP,
      stdout: io.stdout,
    });
    if (!parsed) return ExitCode.Success;
    const { values } = parsed;
    const userParameters = values['user-parameters'];
    if (userParameters !== undefined) {
      try {
        JSON.parse(userParameters);
      } catch (err) {
        throw new UsageError(
          `--user-parameters is not JSON (${(err as Error).message}); give the parameters as JSON, e.g. '{"url":"https://example.com/health"}'`,
        );
      }
    }
    const sample = DEFAULT_LAMBDA_EVENT_TEMPLATE['CodePipeline.job'];
    const event = {
      'CodePipeline.job': {
        id: '11111111-abcd-1111-abcd-111111abcdef',
        ...sample,
        data: {
          ...sample.data,
          actionConfiguration: {
            configuration: {
              FunctionName:
                values['function-name'] ??
                sample.data.actionConfiguration.configuration.FunctionName,
              UserParameters:
                userParameters ?? sample.data.actionConfiguration.configuration.UserParameters,
            },
          },
        },
      },
    };
    const text = `${JSON.stringify(event, null, 2)}\n`;
    if (values.out === undefined) {
      io.stdout.write(text);
      return ExitCode.Success;
    }
    try {
      await writeFile(values.out, text);
    } catch (err) {
      throw new CommandFailure(`cannot write ${values.out}: ${(err as Error).message}`);
    }
    io.stdout.write(
      `wrote ${values.out}; play it with: baton local --handler <module#export> --event ${values.out}\n`,
    );
    return ExitCode.Success;
  },
};
