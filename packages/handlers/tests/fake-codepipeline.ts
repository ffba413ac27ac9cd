import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A PutJobSuccessResult / PutJobFailureResult call as the fake received it. */
export interface ReportCall {
  operation: 'PutJobSuccessResult' | 'PutJobFailureResult' | string;
  body: {
    jobId: string;
    continuationToken?: string;
    executionDetails?: { summary?: string; percentComplete?: number; externalExecutionId?: string };
    outputVariables?: Record<string, string>;
    failureDetails?: { type: string; message: string };
  };
}

/** A loopback stand-in for the CodePipeline API that accepts every report and records it. */
export interface FakeCodePipeline {
  endpoint: string;
  calls: ReportCall[];
  stop(): Promise<void>;
}

/**
 * Starts the fake on 127.0.0.1. It speaks the AWS JSON 1.1 protocol the SDK
 * uses for CodePipeline (`X-Amz-Target: CodePipeline_20150709.<Operation>`).
 */
export async function startFakeCodePipeline(): Promise<FakeCodePipeline> {
  const calls: ReportCall[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    calls.push({
      operation: target.split('.').pop() ?? target,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
    });
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A CodePipeline job event as the Lambda invoke action sends it. */
export function jobEvent(
  jobId: string,
  userParameters: string,
  continuationToken?: string,
): Record<string, unknown> {
  return {
    'CodePipeline.job': {
      id: jobId,
      accountId: '111111111111',
      data: {
        actionConfiguration: {
          configuration: { FunctionName: 'baton-handler', UserParameters: userParameters },
        },
        inputArtifacts: [],
        outputArtifacts: [],
        artifactCredentials: {
          accessKeyId: 'AKIAEXAMPLEKEYID0000',
          secretAccessKey: 'SECRET-artifact-key-never-logged',
          sessionToken: 'SESSION-artifact-token-never-logged',
          expirationTime: 1_900_000_000_000,
        },
        ...(continuationToken === undefined ? {} : { continuationToken }),
      },
    },
  };
}
