/**
 * CloudWatch embedded metric format (EMF): JSON log lines from which
 * CloudWatch Logs extracts metrics, so publishing costs no request.
 */

/** Units CloudWatch accepts in EMF that Baton uses. */
export const EmfUnit = {
  Count: 'Count',
  Milliseconds: 'Milliseconds',
} as const;
export type EmfUnit = (typeof EmfUnit)[keyof typeof EmfUnit];

/** EMF's limits: metrics per directive (line), values per metric, dimensions per set. */
export const EmfLimits = {
  metricsPerLine: 100,
  valuesPerMetric: 100,
  dimensionsPerSet: 30,
  nameMaxLength: 255,
  dimensionValueMaxLength: 1024,
} as const;

/** One metric and the values it got (several values make a distribution). */
export interface EmfMetric {
  name: string;
  unit: EmfUnit;
  values: readonly number[];
}

/** What one flush writes. */
export interface EmfRecord {
  namespace: string;
  /** One dimension set: name → value. */
  dimensions: Readonly<Record<string, string>>;
  metrics: readonly EmfMetric[];
  /** Extra searchable fields (not metrics, not dimensions), e.g. run id. */
  properties?: Readonly<Record<string, string | number>>;
  /** Epoch ms. */
  timestamp: number;
}

// CloudWatch namespaces: ASCII letters, digits and . - _ / # : (no `AWS/` prefix).
const NAMESPACE = /^[A-Za-z0-9._\-/#: ]+$/;

/**
 * What is wrong with a namespace, or `undefined` when CloudWatch accepts it.
 *
 * @example
 * ```ts
 * namespaceProblem('AWS/Lambda'); // 'namespace must not start with "AWS/"'
 * ```
 */
export function namespaceProblem(namespace: string): string | undefined {
  if (namespace.length < 1 || namespace.length > EmfLimits.nameMaxLength) {
    return `namespace must be 1–${EmfLimits.nameMaxLength} characters, got ${namespace.length}`;
  }
  if (!NAMESPACE.test(namespace)) {
    return `namespace ${JSON.stringify(namespace)} may hold only letters, digits, spaces and . - _ / # :`;
  }
  if (namespace.startsWith('AWS/')) return 'namespace must not start with "AWS/"';
  return undefined;
}

/**
 * What is wrong with a dimension set, or `undefined` when CloudWatch accepts it.
 *
 * @example
 * ```ts
 * dimensionsProblem({ JobName: '' }); // 'dimension JobName has an empty value'
 * ```
 */
export function dimensionsProblem(
  dimensions: Readonly<Record<string, string>>,
): string | undefined {
  const names = Object.keys(dimensions);
  if (names.length > EmfLimits.dimensionsPerSet) {
    return `${names.length} dimensions; EMF allows at most ${EmfLimits.dimensionsPerSet}`;
  }
  for (const [name, value] of Object.entries(dimensions)) {
    if (value.length === 0) return `dimension ${name} has an empty value`;
    if (value.length > EmfLimits.dimensionValueMaxLength) {
      return `dimension ${name} is ${value.length} characters; at most ${EmfLimits.dimensionValueMaxLength}`;
    }
  }
  return undefined;
}

interface Chunk {
  name: string;
  unit: EmfUnit;
  values: number[];
}

/**
 * Serialises a record as EMF lines within EMF's limits: at most 100 metrics
 * per line and 100 values per metric; more become further lines. Values
 * that are not finite numbers are dropped (CloudWatch rejects them), and a
 * metric left without values is left out.
 *
 * @example
 * ```ts
 * const lines = formatEmfLines({
 *   namespace: 'Baton', dimensions: { JobName: 'deploy' }, timestamp: Date.now(),
 *   metrics: [{ name: 'StepsRun', unit: 'Count', values: [2] }],
 * });
 * ```
 */
export function formatEmfLines(record: EmfRecord): string[] {
  const queues: Chunk[][] = [];
  for (const metric of record.metrics) {
    const values = metric.values.filter(Number.isFinite);
    const chunks: Chunk[] = [];
    for (let i = 0; i < values.length; i += EmfLimits.valuesPerMetric) {
      chunks.push({
        name: metric.name,
        unit: metric.unit,
        values: values.slice(i, i + EmfLimits.valuesPerMetric),
      });
    }
    if (chunks.length > 0) queues.push(chunks);
  }
  const dimensionNames = Object.keys(record.dimensions);
  const lines: string[] = [];
  // Each line takes the next chunk of up to 100 metrics; a metric appears at most once per line.
  for (;;) {
    const line: Chunk[] = [];
    for (const queue of queues) {
      if (line.length === EmfLimits.metricsPerLine) break;
      const chunk = queue.shift();
      if (chunk) line.push(chunk);
    }
    if (line.length === 0) break;
    const body: Record<string, unknown> = {
      _aws: {
        Timestamp: record.timestamp,
        CloudWatchMetrics: [
          {
            Namespace: record.namespace,
            Dimensions: [dimensionNames],
            Metrics: line.map((c) => ({ Name: c.name, Unit: c.unit })),
          },
        ],
      },
      ...record.properties,
      ...record.dimensions,
    };
    for (const chunk of line) {
      body[chunk.name] = chunk.values.length === 1 ? chunk.values[0] : chunk.values;
    }
    lines.push(JSON.stringify(body));
    for (let i = queues.length - 1; i >= 0; i--) if (queues[i]?.length === 0) queues.splice(i, 1);
  }
  return lines;
}
