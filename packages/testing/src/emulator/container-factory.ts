import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionSettings } from './action-settings.js';
import { EmulatorConfigurationError } from './codepipeline-errors.js';
import { Isolation } from './container-channel.js';
import { ContainerPool } from './container-pool.js';
import { parseHandlerModuleSpec } from './handler-module-spec.js';
import { InProcessContainer } from './in-process-container.js';
import { IsolatedContainer } from './isolated-container.js';
import type { LambdaActionOptions } from './lambda-action-options.js';

/** What the containers of an action need to know besides its options. */
export interface ContainerSetup {
  settings: ActionSettings;
  /** The emulator's endpoint, for `AWS_ENDPOINT_URL_CODEPIPELINE`. */
  endpoint: string;
  /** The emulator's region, when the test process sets no `AWS_REGION`. */
  region: string;
  /** Whether a fault will kill containers (an in-process handler cannot be killed). */
  needsIsolation: boolean;
  /** Receives isolated containers' output, line by line. */
  onOutput(containerId: string, stream: 'stdout' | 'stderr', text: string): void;
}

/**
 * The container pool of an action's function: in-process for a handler
 * function, worker threads or child processes for a module spec.
 *
 * @throws {EmulatorConfigurationError} when the handler cannot run as asked.
 * @example
 * ```ts
 * const pool = createContainerPool({ handler: './handler.ts#handler' }, setup);
 * ```
 */
export function createContainerPool(
  options: LambdaActionOptions,
  setup: ContainerSetup,
): ContainerPool {
  const { handler } = options;
  if (typeof handler === 'function') {
    if (setup.needsIsolation) {
      throw new EmulatorConfigurationError(
        'cut-off faults kill the container for real, so they need a module-spec handler (run in a worker or child process), not an in-process function',
      );
    }
    return new ContainerPool((id) => new InProcessContainer(id, handler));
  }
  if (typeof handler !== 'string') {
    throw new EmulatorConfigurationError('handler must be a function or a module spec string');
  }
  const module = parseHandlerModuleSpec(handler, options.cwd ?? process.cwd());
  const env = containerEnvironment(options, setup);
  const echo = options.echoHandlerOutput ?? false;
  return new ContainerPool(
    (id) =>
      new IsolatedContainer({
        id,
        isolation: options.isolation ?? Isolation.Worker,
        module,
        env,
        conditions: options.conditions ?? ['source'],
        onOutput: (stream, text) => {
          if (echo) (stream === 'stdout' ? process.stdout : process.stderr).write(`${text}\n`);
          setup.onOutput(id, stream, text);
        },
      }),
  );
}

/**
 * What an isolated handler sees in `process.env`: like a Lambda function,
 * only what is configured, never the host's own credentials.
 */
function containerEnvironment(
  options: LambdaActionOptions,
  setup: ContainerSetup,
): Record<string, string> {
  const region = process.env.AWS_REGION ?? setup.region;
  // A path that does not exist: the SDK then ignores the host's ~/.aws files.
  const noConfig = join(tmpdir(), 'baton-emulator-no-aws-config');
  const env: Record<string, string> = {
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'emulated',
    AWS_SECRET_ACCESS_KEY: 'emulated',
    AWS_CONFIG_FILE: noConfig,
    AWS_SHARED_CREDENTIALS_FILE: noConfig,
    AWS_ENDPOINT_URL_CODEPIPELINE: setup.endpoint,
    AWS_LAMBDA_FUNCTION_NAME: setup.settings.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(setup.settings.memoryLimitInMB),
    // Everything an emulated action talks to listens on loopback; @baton/handlers
    // refuses loopback targets unless this is set.
    BATON_HTTP_ALLOW_LOOPBACK: '1',
  };
  for (const name of ['AWS_ENDPOINT_URL_DYNAMODB', 'BATON_TABLE_NAME', 'PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...options.environment };
}
