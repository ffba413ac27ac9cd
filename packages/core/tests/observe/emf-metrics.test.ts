import { describe, expect, it } from 'vitest';
import { BatonMetric, emfMetrics } from '../../src/observe/emf/emf-metrics.js';
import { ObserverOptionsError } from '../../src/observe/observer-options-error.js';

function setup() {
  let t = 1_000;
  const lines: Record<string, unknown>[] = [];
  const observer = emfMetrics({
    namespace: 'Deploys',
    serviceName: 'deployer',
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    now: () => t,
  });
  return { observer, lines, advance: (ms: number) => (t += ms) };
}

type Directive = { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] };
const metricNames = (line: Record<string, unknown> | undefined) =>
  (line?._aws as Directive | undefined)?.CloudWatchMetrics[0]?.Metrics.map(
    (m) => `${m.Name}:${m.Unit}`,
  ).sort();

describe('emfMetrics', () => {
  it('writes one line per invocation with what the invocation did', () => {
    const { observer, lines, advance } = setup();
    const inv = observer.invocation({ jobName: 'deploy', jobId: 'job-1', requestId: 'req-1' });
    inv.run({ runId: 'run-1', sequence: 0 });
    inv.runStarted();
    inv.request('dynamodb', 'claim', 4);
    const first = inv.stepStarted({ step: 'start', attempt: 1 });
    advance(30);
    first.ended({
      result: 'error',
      durationMs: 30,
      error: { name: 'Error', message: 'x' },
      willRetry: true,
    });
    const second = inv.stepStarted({ step: 'start', attempt: 2 });
    second.ended({ result: 'goTo', durationMs: 12 });
    const third = inv.stepStarted({ step: 'poll', attempt: 1 });
    third.ended({ result: 'error', durationMs: 5, willRetry: false });
    inv.runEnded({ status: 'failed', durationMs: 47 });
    inv.request('dynamodb', 'commit', 9);
    inv.reportRetried();
    inv.request('codepipeline', 'report', 6);
    expect(lines).toEqual([]); // nothing before the end
    advance(20);
    inv.ended({ kind: 'reported' });
    inv.ended({ kind: 'reported' }); // a second end writes nothing

    expect(lines).toHaveLength(1);
    const line = lines[0] ?? {};
    expect(line).toMatchObject({
      ServiceName: 'deployer',
      JobName: 'deploy',
      jobId: 'job-1',
      runId: 'run-1',
      [BatonMetric.Invocations]: 1,
      [BatonMetric.InvocationsReported]: 1,
      [BatonMetric.InvocationDuration]: 50,
      [BatonMetric.RunsStarted]: 1,
      [BatonMetric.StepsRun]: 3,
      [BatonMetric.StepDuration]: [30, 12, 5],
      [BatonMetric.StepErrors]: 2,
      [BatonMetric.StepRetries]: 1,
      [BatonMetric.RunsFailed]: 1,
      [BatonMetric.RunDuration]: 47,
      [BatonMetric.ReportRetries]: 1,
      [BatonMetric.DynamoDBRequestTime]: [4, 9],
      [BatonMetric.CodePipelineRequestTime]: 6,
    });
    const aws = line._aws as { Timestamp: number; CloudWatchMetrics: unknown[] };
    expect(aws.Timestamp).toBe(1_050);
    expect(aws.CloudWatchMetrics).toMatchObject([
      { Namespace: 'Deploys', Dimensions: [['ServiceName', 'JobName']] },
    ]);
    expect(metricNames(line)).toEqual(
      [
        'CodePipelineRequestTime:Milliseconds',
        'DynamoDBRequestTime:Milliseconds',
        'InvocationDuration:Milliseconds',
        'Invocations:Count',
        'InvocationsReported:Count',
        'ReportRetries:Count',
        'RunDuration:Milliseconds',
        'RunsFailed:Count',
        'RunsStarted:Count',
        'StepDuration:Milliseconds',
        'StepErrors:Count',
        'StepRetries:Count',
        'StepsRun:Count',
      ].sort(),
    );
  });

  it.each([
    ['resent', BatonMetric.InvocationsResent],
    ['in-progress', BatonMetric.InvocationsInProgress],
    ['stale', BatonMetric.InvocationsStale],
    ['rejected', BatonMetric.InvocationsRejected],
    ['lease-lost', BatonMetric.InvocationsLeaseLost],
    ['threw', BatonMetric.InvocationsThrown],
  ] as const)(
    'counts an invocation that ended %s as %s, and nothing it did not do',
    (kind, name) => {
      const { observer, lines } = setup();
      const inv = observer.invocation({ jobName: 'deploy', jobId: 'job-2' });
      inv.handedOnWithoutStep();
      inv.crashCounted();
      inv.ended({ kind });
      expect(metricNames(lines[0])).toEqual(
        [
          `${name}:Count`,
          'Invocations:Count',
          'InvocationDuration:Milliseconds',
          'HandOnsWithoutStep:Count',
          'Crashes:Count',
        ].sort(),
      );
      expect(lines[0]).not.toHaveProperty('runId');
    },
  );

  it('keeps invocations apart when they overlap', () => {
    const { observer, lines } = setup();
    const a = observer.invocation({ jobName: 'a', jobId: 'job-a' });
    const b = observer.invocation({ jobName: 'b', jobId: 'job-b' });
    a.stepStarted({ step: 's', attempt: 1 }).ended({ result: 'wait', durationMs: 1 });
    b.ended({ kind: 'in-progress' });
    a.ended({ kind: 'reported' });
    expect(lines.map((l) => [l.JobName, l.StepsRun])).toEqual([
      ['b', undefined],
      ['a', 1],
    ]);
  });

  it('rejects a namespace or service name CloudWatch would reject, when created', () => {
    expect(() => emfMetrics({ namespace: 'AWS/Baton' })).toThrow(ObserverOptionsError);
    expect(() => emfMetrics({ namespace: 'AWS/Baton' })).toThrow(/must not start with "AWS\/"/);
    expect(() => emfMetrics({ serviceName: '' })).toThrow(/ServiceName has an empty value/);
  });

  it('defaults the namespace to Baton and the service name to the function name', () => {
    const previous = process.env.AWS_LAMBDA_FUNCTION_NAME;
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'my-function';
    try {
      const lines: string[] = [];
      emfMetrics({ write: (l) => lines.push(l) })
        .invocation({ jobName: 'deploy', jobId: 'j' })
        .ended({ kind: 'stale' });
      expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
        ServiceName: 'my-function',
        _aws: { CloudWatchMetrics: [{ Namespace: 'Baton' }] },
      });
    } finally {
      if (previous === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      else process.env.AWS_LAMBDA_FUNCTION_NAME = previous;
    }
  });
});
