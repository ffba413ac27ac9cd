import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CodePipelineApiError, CodePipelineErrorName } from './codepipeline-errors.js';
import { CodePipelineOperation } from './codepipeline-shapes.js';
import type { JobRegistry } from './job-registry.js';
import type { JobRequest, JobRequestHooks, JobRequestOutcome } from './job-request-hooks.js';
import {
  validateAcknowledgeJob,
  validateGetJobDetails,
  validatePollForJobs,
  validatePutJobFailureResult,
  validatePutJobSuccessResult,
} from './request-validation.js';

export type {
  AfterApplyDirective,
  BeforeApplyDirective,
  JobRequest,
  JobRequestHooks,
  JobRequestOutcome,
} from './job-request-hooks.js';

const TARGET_PREFIX = 'CodePipeline_20150709.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Far above any legal request (output variables top out at 120 KiB). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Options of {@link startCodePipelineServer}. */
export interface CodePipelineServerOptions {
  /** The jobs the server answers about. */
  registry: JobRegistry;
  /** Finds the hooks of a job's owner; `undefined` applies requests plainly. */
  hooksFor?: (jobId: string) => JobRequestHooks | undefined;
  /** @default '127.0.0.1' */
  host?: string;
  /** `0` picks a free port. @default 0 */
  port?: number;
}

/** A listening emulated CodePipeline endpoint. */
export interface CodePipelineServer {
  /** E.g. `http://127.0.0.1:40123`. */
  readonly endpoint: string;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}

/**
 * Serves CodePipeline's job worker operations over the AWS JSON 1.1 protocol,
 * so the real `@aws-sdk/client-codepipeline` can talk to it.
 *
 * @example
 * ```ts
 * const server = await startCodePipelineServer({ registry: new JobRegistry() });
 * const client = new CodePipelineClient({ endpoint: server.endpoint, region: 'us-east-1' });
 * // ...
 * await server.close();
 * ```
 */
export async function startCodePipelineServer(
  options: CodePipelineServerOptions,
): Promise<CodePipelineServer> {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((err: unknown) => {
      // Only a bug in the emulator gets here: say so rather than hang the client.
      if (!res.headersSent) {
        sendError(
          res,
          new CodePipelineApiError(CodePipelineErrorName.InternalServerError, String(err), {
            statusCode: 500,
            cause: err,
          }),
        );
      }
    });
  });
  await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    endpoint: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  options: CodePipelineServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const text = await readBody(req);
  const target = req.headers['x-amz-target'];
  const operation =
    typeof target === 'string' && target.startsWith(TARGET_PREFIX)
      ? target.slice(TARGET_PREFIX.length)
      : undefined;
  if (req.method !== 'POST' || !isOperation(operation)) {
    sendError(
      res,
      new CodePipelineApiError(
        CodePipelineErrorName.UnknownOperation,
        `Unknown or unsupported operation: ${String(target)}`,
      ),
    );
    return;
  }
  let body: unknown;
  try {
    body = text.length === 0 ? {} : JSON.parse(text);
  } catch (err) {
    sendError(
      res,
      new CodePipelineApiError(CodePipelineErrorName.Serialization, 'The body is not valid JSON', {
        cause: err,
      }),
    );
    return;
  }

  const jobId = readJobId(body);
  const hooks = jobId === undefined ? undefined : options.hooksFor?.(jobId);
  const request: JobRequest | undefined =
    jobId === undefined ? undefined : { operation, jobId, body };

  const before = request ? await hooks?.beforeApply?.(request) : undefined;
  if (before?.action === 'drop') {
    req.socket.destroy();
    return;
  }
  let outcome: JobRequestOutcome;
  if (before?.action === 'fail') {
    outcome = { ok: false, error: before.error };
  } else {
    try {
      outcome = { ok: true, output: apply(options.registry, operation, body) };
    } catch (err) {
      if (!(err instanceof CodePipelineApiError)) throw err;
      outcome = { ok: false, error: err };
    }
  }
  const after =
    request && before?.action !== 'fail' ? await hooks?.afterApply?.(request, outcome) : undefined;
  if (after?.action === 'drop') {
    req.socket.destroy();
    return;
  }
  if (outcome.ok) sendJson(res, 200, outcome.output);
  else sendError(res, outcome.error);
}

function apply(registry: JobRegistry, operation: CodePipelineOperation, body: unknown): unknown {
  switch (operation) {
    case CodePipelineOperation.PutJobSuccessResult:
      registry.putSuccess(validatePutJobSuccessResult(body));
      return {};
    case CodePipelineOperation.PutJobFailureResult:
      registry.putFailure(validatePutJobFailureResult(body));
      return {};
    case CodePipelineOperation.GetJobDetails:
      return { jobDetails: registry.getDetails(validateGetJobDetails(body).jobId) };
    case CodePipelineOperation.AcknowledgeJob:
      return { status: registry.acknowledge(validateAcknowledgeJob(body)) };
    case CodePipelineOperation.PollForJobs:
      return { jobs: registry.poll(validatePollForJobs(body)) };
  }
}

function isOperation(name: string | undefined): name is CodePipelineOperation {
  return name !== undefined && (Object.values(CodePipelineOperation) as string[]).includes(name);
}

function readJobId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const jobId = (body as { jobId?: unknown }).jobId;
  return typeof jobId === 'string' ? jobId : undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, payload: unknown, errorName?: string): void {
  const text = JSON.stringify(payload);
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  };
  if (errorName) headers['x-amzn-errortype'] = errorName;
  res.writeHead(status, headers);
  res.end(text);
}

function sendError(res: ServerResponse, error: CodePipelineApiError): void {
  sendJson(
    res,
    error.statusCode,
    { __type: error.errorName, message: error.message },
    error.errorName,
  );
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
