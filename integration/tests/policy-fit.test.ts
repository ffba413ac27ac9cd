/**
 * The IAM policy `@baton/cdk` gives a Baton function fits what the code
 * calls, both ways. The ready-made handlers run through the emulator (a
 * continuation loop with a duplicate and a crash, a failure, a configuration
 * error, a deployment) with SDK clients that record every AWS request; then
 * each recorded request must be allowed by the synthesized policy, and each
 * permission the policy grants for the code must have been used.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatonFunction, BatonHandler, BatonTable } from '@baton/cdk';
import { startCodePipelineEmulator, startDeploymentService } from '@baton/testing';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RequiredPermission, recordedPermissions } from '../support/aws-operation-recorder.js';
import { createTestbed, fixtureHandler } from '../support/baton-action.js';

const log = join(mkdtempSync(join(tmpdir(), 'baton-policy-fit-')), 'operations.jsonl');

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** A status endpoint that answers IN_PROGRESS `pending` times, then `final`. */
async function startStatusEndpoint(pending: number, final: string) {
  let gets = 0;
  const server: Server = createServer((_request, response) => {
    gets += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ status: gets > pending ? final : 'IN_PROGRESS' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/status`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Plays the ready-made handlers through the emulator, recording their AWS requests. */
async function playReadyMadeHandlers(): Promise<string> {
  const testbed = await createTestbed('policy-fit');
  const environment = { ...testbed.environment, BATON_AWS_OPERATIONS_LOG: log };
  const emulator = await startCodePipelineEmulator({ timeScale: 1 / 1000 });
  // Five polls pending: the fifth job's claim finds the history records of
  // four commits pending in the run item and moves them (the store's PutItem).
  const ok = await startStatusEndpoint(5, 'UP');
  const broken = await startStatusEndpoint(0, 'FAILED');
  const service = await startDeploymentService({ stepsToSucceed: 2 });
  try {
    const waitForHttp = fixtureHandler('recorded-handlers.ts', 'waitForHttp');
    const success = await emulator.runLambdaAction({
      handler: waitForHttp,
      environment,
      userParameters: {
        url: ok.url,
        successWhen: { path: 'status', equals: 'UP' },
        intervalSeconds: 60,
      },
      faults: [
        { kind: 'duplicate-delivery', mode: 'sequential', when: { sequence: 2 } },
        { kind: 'cut-off', at: 'report-received', when: { sequence: 3, attempt: 1 } },
      ],
    });
    expect(success.status).toBe('Succeeded');
    const failure = await emulator.runLambdaAction({
      handler: waitForHttp,
      environment,
      userParameters: { url: broken.url, failureWhen: { path: 'status', equals: 'FAILED' } },
    });
    expect(failure.status).toBe('Failed');
    const misconfigured = await emulator.runLambdaAction({
      handler: waitForHttp,
      environment,
      userParameters: { url: 'ftp://example.com' },
    });
    expect(misconfigured.status).toBe('Failed');
    const deployed = await emulator.runLambdaAction({
      handler: fixtureHandler('recorded-handlers.ts', 'deployAndWait'),
      environment,
      userParameters: {
        deployUrl: `${service.url}/deployments`,
        statusUrl: `${service.url}/deployments/{id}`,
        intervalSeconds: 60,
      },
    });
    expect(deployed.status).toBe('Succeeded');
  } finally {
    await Promise.all([emulator.stop(), ok.stop(), broken.stop(), service.stop()]);
  }
  return testbed.tableName;
}

/** The synthesized policy statements of a ready-made Baton function's role. */
function synthesizedPolicy() {
  const stack = new Stack(new App(), 'PolicyFit');
  const table = new BatonTable(stack, 'Runs');
  const functions = [
    new BatonFunction(stack, 'WaitForHttp', { table, handler: BatonHandler.waitForHttp() }),
    new BatonFunction(stack, 'DeployAndWait', { table, handler: BatonHandler.deployAndWait() }),
  ];
  const template = Template.fromStack(stack);
  const id = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as never);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Array<{
    Properties: { Roles: Array<{ Ref: string }>; PolicyDocument: { Statement: Statement[] } };
  }>;
  return functions.map((fn) => ({
    tableArn: { 'Fn::GetAtt': [id(table.table), 'Arn'] },
    // Statements for Lambda itself (writing logs, sending failed events), not for the code.
    platformResources: [
      JSON.stringify({ 'Fn::GetAtt': [id(fn.logGroup), 'Arn'] }),
      JSON.stringify({ 'Fn::GetAtt': [id(fn.failureQueue as never), 'Arn'] }),
    ],
    statements: policies
      .filter((p) => p.Properties.Roles.some((role) => role.Ref === id(fn.role)))
      .flatMap((p) => p.Properties.PolicyDocument.Statement),
  }));
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

let recorded: RequiredPermission[] = [];
let tableName = '';

beforeAll(async () => {
  tableName = await playReadyMadeHandlers();
  recorded = recordedPermissions(log);
}, 600_000);

afterAll(() => {
  recorded = [];
});

describe('the IAM policy of @baton/cdk', () => {
  it('recorded the requests of the claim, commit, history move, report and failure paths', () => {
    expect(recorded).toEqual(
      expect.arrayContaining([
        { action: 'dynamodb:UpdateItem', resource: tableName },
        { action: 'dynamodb:PutItem', resource: tableName },
        { action: 'codepipeline:PutJobSuccessResult', resource: '*' },
        { action: 'codepipeline:PutJobFailureResult', resource: '*' },
      ]),
    );
    // Only the test's own table was touched.
    expect(
      recorded.filter((p) => p.action.startsWith('dynamodb:') && p.resource !== tableName),
    ).toEqual([]);
  });

  it('allows every request the engine and the ready-made handlers sent, and nothing they did not', () => {
    for (const { tableArn, platformResources, statements } of synthesizedPolicy()) {
      expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
      const forCode = statements.filter(
        (s) => !list(s.Resource).some((r) => platformResources.includes(JSON.stringify(r))),
      );
      // Granted to the code: (action, resource) pairs, the table written as its name.
      const granted = forCode.flatMap((s) =>
        list(s.Action).flatMap((action) =>
          list(s.Resource).map((resource) => ({
            action: action as string,
            resource: JSON.stringify(resource) === JSON.stringify(tableArn) ? tableName : resource,
          })),
        ),
      );
      const key = (p: { action: string; resource: unknown }) => `${p.action} ${String(p.resource)}`;
      expect(recorded.map(key).filter((k) => !granted.map(key).includes(k))).toEqual([]);
      expect(granted.map(key).filter((k) => !recorded.map(key).includes(k))).toEqual([]);
      // What Lambda itself needs, and nothing more.
      const forPlatform = statements
        .filter((s) => !forCode.includes(s))
        .flatMap((s) => list(s.Action));
      expect(forPlatform.sort()).toEqual(
        [
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:SendMessage',
        ].sort(),
      );
    }
  });
});
