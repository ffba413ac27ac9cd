import { describe, expect, it } from 'vitest';
import {
  dimensionsProblem,
  EmfLimits,
  type EmfMetric,
  formatEmfLines,
  namespaceProblem,
} from '../../src/observe/emf/emf-format.js';

interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

const parse = (lines: string[]) => lines.map((l) => JSON.parse(l) as EmfLine);
const base = { namespace: 'Baton', dimensions: { ServiceName: 'svc', JobName: 'deploy' } };

describe('EMF lines', () => {
  it('writes one directive with the namespace, one dimension set, units and values', () => {
    const [line, ...more] = parse(
      formatEmfLines({
        ...base,
        timestamp: 1_700_000_000_000,
        properties: { runId: 'r-1' },
        metrics: [
          { name: 'StepsRun', unit: 'Count', values: [3] },
          { name: 'StepDuration', unit: 'Milliseconds', values: [12, 40, 7] },
        ],
      }),
    );
    expect(more).toEqual([]);
    expect(line).toEqual({
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: 'Baton',
            Dimensions: [['ServiceName', 'JobName']],
            Metrics: [
              { Name: 'StepsRun', Unit: 'Count' },
              { Name: 'StepDuration', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      ServiceName: 'svc',
      JobName: 'deploy',
      runId: 'r-1',
      StepsRun: 3,
      StepDuration: [12, 40, 7],
    });
  });

  it('puts at most 100 metrics on a line, and every metric on exactly one line', () => {
    const metrics: EmfMetric[] = Array.from({ length: 230 }, (_, i) => ({
      name: `M${i}`,
      unit: 'Count',
      values: [i],
    }));
    const lines = parse(formatEmfLines({ ...base, timestamp: 1, metrics }));
    expect(lines.map((l) => l._aws.CloudWatchMetrics[0]?.Metrics.length)).toEqual([100, 100, 30]);
    const seen = lines.flatMap((l) =>
      (l._aws.CloudWatchMetrics[0]?.Metrics ?? []).map((m) => [m.Name, l[m.Name]]),
    );
    expect(seen).toEqual(metrics.map((m) => [m.name, m.values[0]]));
    for (const l of lines) expect(l.JobName).toBe('deploy');
  });

  it('spreads more than 100 values of one metric over several lines, losing none', () => {
    const values = Array.from({ length: 250 }, (_, i) => i + 0.5);
    const lines = parse(
      formatEmfLines({
        ...base,
        timestamp: 1,
        metrics: [
          { name: 'StepDuration', unit: 'Milliseconds', values },
          { name: 'StepsRun', unit: 'Count', values: [250] },
        ],
      }),
    );
    expect(lines).toHaveLength(3);
    const chunks = lines.map((l) => l.StepDuration as number[]);
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 50]);
    expect(chunks.flat()).toEqual(values);
    // The single-value metric is written once, not repeated on each line.
    expect(lines.filter((l) => 'StepsRun' in l)).toHaveLength(1);
    for (const l of lines) {
      const names = l._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name) ?? [];
      expect(names.every((n) => n in l)).toBe(true);
      expect(names.length).toBeLessThanOrEqual(EmfLimits.metricsPerLine);
    }
  });

  it('drops values CloudWatch would reject, and metrics left without values', () => {
    const lines = parse(
      formatEmfLines({
        ...base,
        timestamp: 1,
        metrics: [
          { name: 'A', unit: 'Milliseconds', values: [Number.NaN, 5, Number.POSITIVE_INFINITY] },
          { name: 'B', unit: 'Count', values: [Number.NaN] },
        ],
      }),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]?.A).toBe(5);
    expect(lines[0]).not.toHaveProperty('B');
    expect(formatEmfLines({ ...base, timestamp: 1, metrics: [] })).toEqual([]);
  });

  it('names what is wrong with a namespace or a dimension', () => {
    expect(namespaceProblem('Baton/Deploys')).toBeUndefined();
    expect(namespaceProblem('')).toMatch(/1–255 characters/);
    expect(namespaceProblem('x'.repeat(256))).toMatch(/got 256/);
    expect(namespaceProblem('a{b}')).toMatch(/may hold only/);
    expect(namespaceProblem('AWS/Lambda')).toMatch(/AWS\//);
    expect(dimensionsProblem({ JobName: 'deploy' })).toBeUndefined();
    expect(dimensionsProblem({ JobName: '' })).toBe('dimension JobName has an empty value');
    expect(dimensionsProblem({ JobName: 'x'.repeat(1025) })).toMatch(/1025 characters/);
  });
});
