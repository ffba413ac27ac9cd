import { OBSERVABILITY_LABELS, type ObservabilityResult } from './observability.js';
import { table } from './report.js';
import { ms, ratio } from './stats.js';

/** The "metrics and tracing" section of BENCHMARKS.md. */
export function renderObservability(out: string[], o: ObservabilityResult, command: string): void {
  const off = o.rows.find((row) => row.variant === 'off');
  const both = o.rows.find((row) => row.variant === 'both');
  const wallRatio = off && both ? both.wall.p50 / off.wall.p50 : Number.NaN;
  out.push(
    '## 5. Overhead of metrics and tracing',
    '',
    `Reproduce: \`${command}\` (bench/src/observability.ts). The polling action of section 2 in four ` +
      'Baton containers: metrics and tracing both off, EMF metrics on (lines formatted, then dropped, ' +
      "as the logs are), OpenTelemetry tracing on (the SDK's `BasicTracerProvider` with a " +
      "`BatchSpanProcessor`, as ADOT's layer sets it up, exporting to an exporter that drops the " +
      `spans), and both on. Invoked round-robin, the order rotating each round, ${o.rounds} rounds after ` +
      'the warm-up rounds of section 2. Target: both on within 5% of both off in wall p50.',
    '',
    table(
      [
        'Baton with',
        'Invocations',
        'Wall p50',
        'Wall p99',
        'CPU p50',
        'CPU p99',
        'Wall p50 / off',
        'CPU p50 / off',
        'EMF lines / inv',
        'Spans / inv',
        'Anomalies',
      ],
      o.rows.map((row) => [
        OBSERVABILITY_LABELS[row.variant],
        String(row.invocations),
        ms(row.wall.p50),
        ms(row.wall.p99),
        ms(row.cpu.p50),
        ms(row.cpu.p99),
        off ? ratio(row.wall.p50, off.wall.p50) : 'n/a',
        off ? ratio(row.cpu.p50, off.cpu.p50) : 'n/a',
        row.emfLinesPerInvocation.toFixed(2),
        row.spansPerInvocation.toFixed(2),
        String(row.anomalies),
      ]),
    ),
    '',
    Number.isFinite(wallRatio)
      ? `Both on / both off, wall p50: **${wallRatio.toFixed(3)}×** (${((wallRatio - 1) * 100).toFixed(1)}%), ` +
          `${wallRatio <= 1.05 ? 'within' : 'outside'} the 5% target.`
      : 'Both on / both off: n/a (no samples).',
    '',
    `The observers alone, without I/O (bench/src/observer-cost.ts: a typical invocation's events, ` +
      `claim, two steps, commit and report, played ${o.observerCostIterations} times per variant, ` +
      'interleaved): CPU per invocation',
    '',
    table(
      ['Baton with', 'CPU µs / invocation', 'Above off'],
      (['off', 'metrics', 'tracing', 'both'] as const).map((v) => [
        OBSERVABILITY_LABELS[v],
        o.observerCost[v].toFixed(2),
        v === 'off' ? '—' : `${(o.observerCost[v] - o.observerCost.off).toFixed(2)} µs`,
      ]),
    ),
    '',
  );
}
