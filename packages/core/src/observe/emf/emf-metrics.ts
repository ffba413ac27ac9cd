import { ObserverOptionsError } from '../observer-options-error.js';
import {
  type InvocationObservation,
  ObservedInvocationEnd,
  ObservedRunEnd,
  ObservedService,
  type RunObserver,
  type StepObservation,
} from '../run-observer.js';
import { dimensionsProblem, EmfUnit, formatEmfLines, namespaceProblem } from './emf-format.js';

/** The metrics Baton writes, by name. Counts unless the name ends in `Duration` or `Time` (ms). */
export const BatonMetric = {
  /** Every invocation with a job id: 1 per invocation. */
  Invocations: 'Invocations',
  InvocationsReported: 'InvocationsReported',
  InvocationsResent: 'InvocationsResent',
  InvocationsInProgress: 'InvocationsInProgress',
  InvocationsStale: 'InvocationsStale',
  InvocationsRejected: 'InvocationsRejected',
  InvocationsLeaseLost: 'InvocationsLeaseLost',
  /** Invocations that threw (Lambda retries them). */
  InvocationsThrown: 'InvocationsThrown',
  InvocationDuration: 'InvocationDuration',
  StepsRun: 'StepsRun',
  StepDuration: 'StepDuration',
  /** Step calls that threw (or overran the budget, or returned no transition). */
  StepErrors: 'StepErrors',
  /** Step errors that will be retried. */
  StepRetries: 'StepRetries',
  /** Invocations that handed the run on without running a step (a wait not yet over). */
  HandOnsWithoutStep: 'HandOnsWithoutStep',
  RunsStarted: 'RunsStarted',
  RunsSucceeded: 'RunsSucceeded',
  RunsFailed: 'RunsFailed',
  RunsAbandoned: 'RunsAbandoned',
  /** From the run's creation to its end; written when it ends. */
  RunDuration: 'RunDuration',
  /** Invocations found dead mid-work and counted as crashes. */
  Crashes: 'Crashes',
  ReportRetries: 'ReportRetries',
  DynamoDBRequestTime: 'DynamoDBRequestTime',
  CodePipelineRequestTime: 'CodePipelineRequestTime',
} as const;
export type BatonMetric = (typeof BatonMetric)[keyof typeof BatonMetric];

const RESULT_METRIC: Record<ObservedInvocationEnd, BatonMetric> = {
  [ObservedInvocationEnd.Reported]: BatonMetric.InvocationsReported,
  [ObservedInvocationEnd.Resent]: BatonMetric.InvocationsResent,
  [ObservedInvocationEnd.InProgress]: BatonMetric.InvocationsInProgress,
  [ObservedInvocationEnd.Stale]: BatonMetric.InvocationsStale,
  [ObservedInvocationEnd.Rejected]: BatonMetric.InvocationsRejected,
  [ObservedInvocationEnd.LeaseLost]: BatonMetric.InvocationsLeaseLost,
  [ObservedInvocationEnd.Threw]: BatonMetric.InvocationsThrown,
};

const RUN_END_METRIC: Record<ObservedRunEnd, BatonMetric> = {
  [ObservedRunEnd.Succeeded]: BatonMetric.RunsSucceeded,
  [ObservedRunEnd.Failed]: BatonMetric.RunsFailed,
  [ObservedRunEnd.Abandoned]: BatonMetric.RunsAbandoned,
};

const REQUEST_METRIC: Record<ObservedService, BatonMetric> = {
  [ObservedService.DynamoDB]: BatonMetric.DynamoDBRequestTime,
  [ObservedService.CodePipeline]: BatonMetric.CodePipelineRequestTime,
};

/** Options of {@link emfMetrics}. */
export interface EmfMetricsOptions {
  /**
   * CloudWatch namespace of the metrics.
   * @default 'Baton'
   */
  namespace?: string;
  /**
   * Value of the `ServiceName` dimension.
   * @default process.env.AWS_LAMBDA_FUNCTION_NAME, else 'baton'
   */
  serviceName?: string;
  /**
   * Where lines go.
   * @default one line to stdout, beside the logs (CloudWatch Logs extracts the metrics)
   */
  write?: (line: string) => void;
  /** Clock for durations and timestamps, epoch ms. @default Date.now */
  now?: () => number;
}

/**
 * Metrics in CloudWatch's embedded metric format: each invocation writes one
 * JSON line (more only past EMF's 100 metrics per line) when it ends, with the
 * dimensions `ServiceName` and `JobName` and the properties `jobId` and
 * `runId` for Logs Insights. No AWS request is made.
 *
 * @example
 * ```ts
 * export const handler = createLambdaHandler(job, {
 *   observer: emfMetrics({ namespace: 'Deploys', serviceName: 'deployer' }),
 * });
 * ```
 */
export function emfMetrics(options: EmfMetricsOptions = {}): RunObserver {
  const namespace = options.namespace ?? 'Baton';
  const problem = namespaceProblem(namespace);
  if (problem) throw new ObserverOptionsError(`emfMetrics: ${problem}`);
  const serviceName = options.serviceName ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'baton';
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = options.now ?? Date.now;
  const dimensionsFor = (jobName: string) => {
    const dimensions = { ServiceName: serviceName, JobName: jobName };
    const wrong = dimensionsProblem(dimensions);
    if (wrong) throw new ObserverOptionsError(`emfMetrics: ${wrong}`);
    return dimensions;
  };
  dimensionsFor('job'); // a bad service name fails at creation, not per invocation

  return {
    invocation: (start) => {
      const startedAt = now();
      const dimensions = dimensionsFor(start.jobName);
      const counts = new Map<BatonMetric, number>();
      const times = new Map<BatonMetric, number[]>();
      const properties: Record<string, string> = { jobId: start.jobId };
      let flushed = false;
      const count = (name: BatonMetric, by = 1) => counts.set(name, (counts.get(name) ?? 0) + by);
      const time = (name: BatonMetric, ms: number) => {
        const list = times.get(name);
        if (list) list.push(ms);
        else times.set(name, [ms]);
      };
      const observation: InvocationObservation = {
        within: (fn) => fn(),
        traceParent: () => undefined,
        run: (run) => {
          properties.runId = run.runId;
        },
        runStarted: () => count(BatonMetric.RunsStarted),
        stepStarted: (): StepObservation => ({
          within: (fn) => fn(),
          ended: (end) => {
            count(BatonMetric.StepsRun);
            time(BatonMetric.StepDuration, end.durationMs);
            if (end.result === 'error') {
              count(BatonMetric.StepErrors);
              if (end.willRetry) count(BatonMetric.StepRetries);
            }
          },
        }),
        handedOnWithoutStep: () => count(BatonMetric.HandOnsWithoutStep),
        runEnded: (end) => {
          count(RUN_END_METRIC[end.status]);
          time(BatonMetric.RunDuration, end.durationMs);
        },
        crashCounted: () => count(BatonMetric.Crashes),
        reportRetried: () => count(BatonMetric.ReportRetries),
        request: (service, _operation, ms) => time(REQUEST_METRIC[service], ms),
        ended: (end) => {
          if (flushed) return;
          flushed = true;
          const endedAt = now();
          count(BatonMetric.Invocations);
          count(RESULT_METRIC[end.kind]);
          time(BatonMetric.InvocationDuration, endedAt - startedAt);
          const lines = formatEmfLines({
            namespace,
            dimensions,
            timestamp: endedAt,
            properties,
            metrics: [
              ...[...counts].map(([name, n]) => ({ name, unit: EmfUnit.Count, values: [n] })),
              ...[...times].map(([name, values]) => ({
                name,
                unit: EmfUnit.Milliseconds,
                values,
              })),
            ],
          });
          for (const line of lines) write(line);
        },
      };
      return observation;
    },
  };
}
