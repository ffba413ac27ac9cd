// A consumer's test of the README's example job: plays `wait-for-version` as
// CodePipeline and Lambda would, through @baton/testing's emulator against
// DynamoDB Local, while a health endpoint moves from 1.4.1 to 1.4.2.
// Usage: node run-example.js <compiled wait-for-version module>
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCodePipelineEmulator, startDynamoDBLocal } from '@baton/testing';

async function main(): Promise<number> {
  const handlerModule = process.argv[2];
  if (handlerModule === undefined) throw new Error('usage: run-example <handler module>');
  const versions = ['1.4.1', '1.4.1', '1.4.2'];
  let gets = 0;
  const health = createServer((_request, response) => {
    const version = versions[Math.min(gets, versions.length - 1)];
    gets += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ version }));
  });
  await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
  const { port } = health.address() as AddressInfo;

  const tableName = 'baton-consumer';
  const dynamodb = await startDynamoDBLocal({ tableName });
  const emulator = await startCodePipelineEmulator({ timeScale: 1 / 20 });
  try {
    const result = await emulator.runLambdaAction({
      handler: `${handlerModule}#handler`,
      environment: { BATON_TABLE_NAME: tableName, AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint },
      userParameters: {
        url: `http://127.0.0.1:${port}/health`,
        version: '1.4.2',
        intervalSeconds: 1.3,
      },
      // A 1.3 s wait never fits in a 3 s invocation after a check: each check
      // gets a job of its own, linked by continuation tokens.
      functionTimeoutMs: 3000,
    });
    const summary = {
      dynamodb: dynamodb.source,
      status: result.status,
      outputVariables: result.outputVariables,
      jobs: result.jobs.length,
      healthChecks: gets,
      ...(result.status === 'Succeeded'
        ? {}
        : {
            failureDetails: result.failureDetails,
            invocations: result.invocations.map((invocation) => invocation.outcome),
          }),
    };
    console.log(JSON.stringify(summary));
    // One check per job; how many jobs that takes depends on timing, the checks do not.
    const ok =
      result.status === 'Succeeded' && result.outputVariables.version === '1.4.2' && gets === 3;
    return ok ? 0 : 1;
  } finally {
    await emulator.stop();
    await dynamodb.stop();
    health.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
