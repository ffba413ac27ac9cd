import type { ColdStartBundle } from './cold-start.js';
import type { GcShare } from './cold-start-pieces.js';
import type { VariantLatency } from './latency.js';
import type { BenchResults } from './report.js';
import { ms, ratio } from './stats.js';
import type { WriteUnitRow } from './write-units.js';

/**
 * The paragraph on what changed for issue 14 and what each change bought,
 * from figures measured side by side in this run: Baton beside its previous
 * commit (latency, write units, scale) and, when `BENCH_BASELINE_DIR` gave
 * one, beside the bundle of the code before the change (cold start).
 */
export function renderChanges(
  out: string[],
  r: BenchResults,
  baton: VariantLatency,
  previous: VariantLatency | undefined,
): void {
  const powertools = r.latency.variants.powertools;
  const units = (variant: string, bytes: number) =>
    r.writeUnits.find((row) => row.variant === variant && row.stateBytes === bytes);
  const unitText = (bytes: number) => {
    const now = units('baton', bytes);
    const before = units('baton-transact-commit', bytes);
    return now && before
      ? `${bytes / 1024} KB state ${num(before)} → ${num(now)} (${ratio(now.perInvocation, before.perInvocation)})`
      : 'n/a';
  };
  const top = Math.max(...r.scale.map((s) => s.concurrency));
  const batonTop = r.scale.find((s) => s.concurrency === top && s.variant === 'baton');
  const previousTop = r.scale.find(
    (s) => s.concurrency === top && s.variant === 'baton-transact-commit',
  );
  out.push(
    '**The commit is one conditional `UpdateItem`.** It used to be a `TransactWriteItems` (run update + ' +
      'history item): on DynamoDB a transaction bills twice the write units of each item, and on DynamoDB ' +
      "Local it took twice as long as the claim. Now the commit writes the invocation's history record into " +
      "the run item's pending records, in the same write that commits the run, so the record is durable " +
      'exactly when the commit is. Every fourth invocation, the claim that finds four records pending (or ' +
      '2 KB of them) writes them into one history item with a `PutItem` that runs while the steps do, and ' +
      'the commit, which waits for it, drops them from the run item; a crash anywhere leaves each record in ' +
      'the run item, a history item or both, and `getRun` (so `baton runs show`) reads both. Measured side ' +
      `by side (the previous commit is bench/src/prototypes/transact-commit-run-store.ts)` +
      (previous
        ? `: wall p50 ${ms(previous.wall.p50)} → ${ms(baton.wall.p50)} (${ratio(baton.wall.p50, previous.wall.p50)}), ` +
          `p99 ${ratio(baton.wall.p99, previous.wall.p99)}, CPU p50 ${ratio(baton.cpu.p50, previous.cpu.p50)}`
        : '') +
      `; write units per happy invocation ${unitText(1024)}, ${unitText(64 * 1024)}` +
      (batonTop && previousTop
        ? `; at N = ${top} concurrent actions, ${ratio(batonTop.throughput, previousTop.throughput)} the ` +
          `throughput and ${ratio(batonTop.latency.p99, previousTop.latency.p99)} the p99 latency`
        : '') +
      '.',
    '',
  );
  const bundles = r.coldStart.bundles;
  const now = bundles.find((b) => b.name === 'baton-poll');
  const before = bundles.find((b) => b.name === 'baton-poll-before');
  const peer = bundles.find((b) => b.name === 'powertools-poll');
  out.push(
    '**Cold start.** What changed for the first invocation: the commit no longer uses ' +
      '`TransactWriteItems`, a second DynamoDB operation whose first use the SDK pays (its serializer and ' +
      'the walk of its input shapes) and a slower request on DynamoDB Local; both the claim and the commit ' +
      'are now `UpdateItem`, and the first invocation of a run never moves history (nothing is pending ' +
      "yet). The report's attempts time out with an `AbortController` and a timer instead of " +
      '`AbortSignal.timeout`, whose first use cost about 1 ms in the development runs. Left as they are, ' +
      'and common to both handlers: building the two SDK clients at import and the first connection of ' +
      "each, and Baton's engine running for the first time (claim, step, commit, report)." +
      (now && peer
        ? ` Import + first invocation of the polling action now: ${coldText(now, peer)}` +
          (before
            ? `; before these changes (${before.description}), same run: ${coldText(before, peer)}`
            : '') +
          '.'
        : ''),
    '',
  );
  const gcNow = now?.pieces?.gc.invocation;
  const gcPeer = peer?.pieces?.gc.invocation;
  if (gcNow && gcPeer) {
    out.push(
      '**A minor GC in the first invocation.** Every fresh process takes three minor GCs (scavenges) ' +
        'while it imports; whether it takes a fourth during its first invocation depends on how much it ' +
        'has allocated by then. Measured outside this run on 2026-12-02, with a young generation large ' +
        'enough that no GC ran (`node --min-semi-space-size=64`), the first invocation allocates 1.62 MB ' +
        "there with Baton's polling action and 1.38 MB with Powertools' (5.98 and 5.90 MB in the import): " +
        "enough for Baton's process to take the fourth scavenge, of 3.4–7.6 ms, as its report's request " +
        'starts. Before the pieces were taken net of GC pauses, that made its first ' +
        "`PutJobSuccessResult` look about 5 ms slower than the shipped wait-for-http's; timed on both sides, " +
        'the emulator answered it in about 1 ms either way. In this run the first invocation takes ' +
        `${gcText(gcNow)} with Baton and ${gcText(gcPeer)} with Powertools (medians). Allocating less in ` +
        'the first invocation is a lever on the cold-start target; where the margin lies depends on V8 ' +
        "and on the function's memory.",
      '',
    );
  }
  out.push(
    "**Secret redaction per event.** Every invocation builds a redactor for its event's artifact " +
      'credentials (each secret raw, URL-encoded and JSON-escaped, and every 10-character piece of those). ' +
      'It used to make one string per piece and a 128 KB filter; it now hashes the pieces into a filter ' +
      'sized to them and confirms a hit against the encodings, with the same redaction (the core and ' +
      'reliability secret suites unchanged). Measured outside this run, on 2026-12-02 at load 5: building ' +
      'it took 60–200 µs per event before and 10–30 µs after; in three section-2 runs alternated ' +
      '(`pnpm --filter @baton/bench latency`), Baton / Powertools wall p50 was 1.44× before and 1.39×, ' +
      '1.42× after, CPU p50 1.48× before and 1.39×, 1.43× after.',
    '',
  );
  out.push(
    "**Who reports a committed outcome.** The commit now also names its invocation the outcome's " +
      'reporter until its deadline (`reportOwner`, `reportRequestId`, `reportUntil`: three attributes, ' +
      'about 120 bytes), so a duplicate never re-sends before the committer reports and a refused first ' +
      'report marks the run abandoned only when it is about the job. Request counts are unchanged; a ' +
      "duplicate of a committed job while its committer's invocation lasts now returns quietly (its claim, " +
      "no report), and Lambda's retry of a committer that died takes the report over with one more " +
      'conditional write. The extra bytes move some run items over a 1 KB boundary: write units per happy ' +
      'invocation went from 6.80 to 7.20 (1 KB state) and from 120.20 to 120.60 (64 KB state) between the ' +
      'full runs before and after it (commits `021f291` and `754c14a`).',
    '',
  );
  out.push(
    '**Dropped log lines.** A log line the logger will drop (debug lines, by default) is no longer merged, ' +
      'redacted or copied (`Logger.isLevelEnabled`): about 6 µs of CPU per invocation, measured outside ' +
      "this run with a microbenchmark of the engine's logger chain (8.1–8.3 µs per debug line before, " +
      '2.0–2.2 µs after); inside the run-to-run noise of section 2.',
    '',
  );
  if (powertools) {
    const wall = baton.wall.p50 / powertools.wall.p50;
    const cold = now && peer ? now.coldMs / peer.coldMs : Number.NaN;
    out.push(
      `Baton / Powertools in this run: wall p50 ${ratio(baton.wall.p50, powertools.wall.p50)} ` +
        `(target ≤ 1.00×: ${wall <= 1 ? 'met' : '**not met**'})` +
        (now && peer
          ? `, import + first invocation ${ratio(now.coldMs, peer.coldMs)} (target ≤ 1.00×: ` +
            `${cold <= 1 ? 'met' : '**not met**'})`
          : '') +
        '.',
      '',
    );
  }
}

function coldText(bundle: ColdStartBundle, peer: ColdStartBundle): string {
  return `${ms(bundle.coldMs)} (${ratio(bundle.coldMs, peer.coldMs)} Powertools' ${ms(peer.coldMs)})`;
}

function gcText(share: GcShare): string {
  if (share.count === 0) return 'no GC pause';
  return `${share.count} GC ${share.count === 1 ? 'pause' : 'pauses'} (${ms(share.ms)})`;
}

function num(row: WriteUnitRow): string {
  return Number.isInteger(row.perInvocation)
    ? String(row.perInvocation)
    : row.perInvocation.toFixed(2);
}
