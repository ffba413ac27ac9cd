import { fileURLToPath } from 'node:url';
import { BatonMetric as CoreMetric } from '@baton/core';
import { deployAndWaitJob, waitForHttpJob } from '@baton/handlers';
import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  BatonConstructError,
  BatonDashboard,
  BatonFunction,
  BatonHandler,
  BatonSweep,
  BatonTable,
  ReadyMadeHandler,
} from '../src/index.js';
import { nagViolations } from './nag-report.js';
import { onlyResource, templateOf, testStack } from './test-stack.js';

const greetingEntry = fileURLToPath(new URL('./fixtures/greeting-job.ts', import.meta.url));

function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

/** The dashboard body as JSON, with the function's name in place of its Ref. */
function dashboardBody(stack: Stack, fn: BatonFunction): Record<string, unknown> {
  const { properties } = onlyResource(templateOf(stack), 'AWS::CloudWatch::Dashboard');
  const parts = (properties.DashboardBody as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const functionId = logicalId(stack, fn.function);
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref?: string }).Ref;
      if (ref === functionId) return 'FUNCTION';
      if (ref === 'AWS::Region') return 'eu-west-1';
      // Other tokens (alarm ARNs, the sweep's name) sit inside JSON strings.
      return 'TOKEN';
    })
    .join('');
  return JSON.parse(text) as Record<string, unknown>;
}

interface Widget {
  type: string;
  properties: { title?: string; metrics?: unknown[][]; alarms?: unknown[] };
}

describe('BatonDashboard', () => {
  it("graphs every metric core writes, under the job's namespace and dimensions", () => {
    const stack = testStack();
    const table = new BatonTable(stack, 'Runs');
    const fn = new BatonFunction(stack, 'Check', { table, handler: BatonHandler.waitForHttp() });
    const sweep = new BatonSweep(stack, 'Sweep', { table });
    new BatonDashboard(stack, 'Dashboard', { functions: [fn], sweep });
    const widgets = (dashboardBody(stack, fn).widgets as Widget[]).filter(
      (widget) => widget.type === 'metric',
    );
    const graphed = widgets.flatMap((widget) => widget.properties.metrics ?? []);
    const jobMetrics = graphed.filter((line) => line[0] === 'Baton' && line.includes('JobName'));
    // [namespace, name, 'JobName', job, 'ServiceName', function, options]
    for (const line of jobMetrics) {
      expect(line.slice(2, 6)).toEqual(['JobName', 'wait-for-http', 'ServiceName', 'FUNCTION']);
    }
    const names = new Set(jobMetrics.map((line) => line[1]));
    expect([...names].sort()).toEqual(
      Object.values(CoreMetric)
        .filter((n) => n !== 'Invocations')
        .sort(),
    );
    const titles = widgets.map((widget) => widget.properties.title);
    expect(titles).toEqual([
      'wait-for-http: invocations by how they ended',
      'wait-for-http: runs',
      'wait-for-http: run duration (ms)',
      'wait-for-http: steps, errors, retries, hand-ons without a step',
      'wait-for-http: step duration (ms)',
      'wait-for-http: crashes and report retries',
      'wait-for-http: request times (ms, p90)',
      'wait-for-http: invocation duration (ms)',
      'Sweep: runs marked abandoned, running runs read',
    ]);
    const runs = widgets[1]?.properties.metrics?.map((line) => line[1]);
    expect(runs).toEqual(['RunsStarted', 'RunsSucceeded', 'RunsFailed', 'RunsAbandoned']);
    const sweepLines = widgets[8]?.properties.metrics ?? [];
    expect(sweepLines.map((line) => line.slice(0, 3))).toEqual([
      ['Baton', 'RunsAbandoned', 'ServiceName'],
      ['Baton', 'SweepRunsRead', 'ServiceName'],
    ]);
    const alarmWidget = (dashboardBody(stack, fn).widgets as Widget[]).find(
      (widget) => widget.type === 'alarm',
    );
    expect(alarmWidget?.properties.alarms).toHaveLength(8);
  });

  it('refuses a function whose job name is unknown, naming the fix', () => {
    const stack = testStack();
    const table = new BatonTable(stack, 'Runs');
    const fn = new BatonFunction(stack, 'Own', {
      table,
      handler: BatonHandler.fromEntry(greetingEntry),
    });
    expect(() => new BatonDashboard(stack, 'Dashboard', { functions: [fn] })).toThrow(
      new BatonConstructError(
        'Test/Dashboard: the job name of Test/Own is unknown, so its metrics cannot be named; pass jobName to BatonHandler.fromEntry',
      ),
    );
  });

  it("adds no cdk-nag AwsSolutions finding to the stack's", () => {
    const findings = (withDashboard: boolean) => {
      const stack = testStack();
      const table = new BatonTable(stack, 'Runs');
      const fn = new BatonFunction(stack, 'Check', { table, handler: BatonHandler.waitForHttp() });
      if (withDashboard) new BatonDashboard(stack, 'Dashboard', { functions: [fn] });
      return nagViolations(stack);
    };
    expect(findings(true)).toEqual(findings(false));
  });
});

describe('run alarms', () => {
  it('the ready-made jobs are named as their bundles, which names their metrics', () => {
    expect(waitForHttpJob.name).toBe(ReadyMadeHandler.WaitForHttp);
    expect(deployAndWaitJob.name).toBe(ReadyMadeHandler.DeployAndWait);
  });

  it("alarm on the job's RunsFailed and RunsAbandoned, in the namespace given", () => {
    const stack = testStack();
    const table = new BatonTable(stack, 'Runs');
    const fn = new BatonFunction(stack, 'Own', {
      table,
      handler: BatonHandler.fromEntry(greetingEntry, { jobName: 'greeting' }),
      metricsNamespace: 'Deploys',
    });
    const alarms = Object.values(templateOf(stack).findResources('AWS::CloudWatch::Alarm')).map(
      (a) => (a as { Properties: Record<string, unknown> }).Properties,
    );
    const dimensions = [
      { Name: 'JobName', Value: 'greeting' },
      { Name: 'ServiceName', Value: { Ref: logicalId(stack, fn.function) } },
    ];
    for (const name of ['RunsFailed', 'RunsAbandoned']) {
      expect(alarms).toContainEqual(
        expect.objectContaining({
          Namespace: 'Deploys',
          MetricName: name,
          Dimensions: dimensions,
          Statistic: 'Sum',
          Period: 300,
          Threshold: 1,
          EvaluationPeriods: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
        }),
      );
    }
    expect(fn.alarms?.runsFailed).toBeDefined();
    expect(fn.alarms?.runsAbandoned).toBeDefined();
  });

  it('are left out, with a synth warning, when the job name is unknown', () => {
    const stack = testStack();
    const table = new BatonTable(stack, 'Runs');
    const fn = new BatonFunction(stack, 'Own', {
      table,
      handler: BatonHandler.fromEntry(greetingEntry),
    });
    expect(fn.alarms?.alarms).toHaveLength(4);
    expect(fn.alarms?.runsFailed).toBeUndefined();
    Annotations.fromStack(stack).hasWarning(
      '/Test/Own',
      Match.stringLikeRegexp('no alarms on runs failed and abandoned: the job name is unknown'),
    );
    expect(() => fn.metric(CoreMetric.RunsFailed)).toThrow(BatonConstructError);
  });
});
