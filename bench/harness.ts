/**
 * Benchmark harness. Every benchmark compares against a baseline measured in the same run, so machines of different
 * speed still give comparable ratios. Output: one JSON line per benchmark on stdout.
 */
export interface BenchResult {
  bench: string;
  ops_per_sec: number;
  baseline: string;
  baseline_ops_per_sec: number;
  ratio: number;
}

/** Runs `op` repeatedly (with `concurrency` in flight) for at least `minMs`, after a warm-up; returns ops/s. */
export async function opsPerSecond(
  op: (i: number) => Promise<unknown> | unknown,
  options: { minMs?: number; warmup?: number; concurrency?: number } = {},
): Promise<number> {
  const minMs = options.minMs ?? 2_000;
  const concurrency = options.concurrency ?? 1;
  for (let i = 0; i < (options.warmup ?? 20); i += 1) await op(i);
  let done = 0;
  const started = performance.now();
  const deadline = started + minMs;
  const worker = async (offset: number) => {
    for (let i = offset; performance.now() < deadline; i += concurrency) {
      await op(1_000_000 + i);
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, k) => worker(k)));
  return done / ((performance.now() - started) / 1_000);
}

export function result(bench: string, opsPerSec: number, baseline: string, baselineOpsPerSec: number): BenchResult {
  // Significant digits, not decimal places: a ratio of 0.0046 must not print as 0.
  const round = (n: number) => Number(n.toPrecision(3));
  return {
    bench,
    ops_per_sec: round(opsPerSec),
    baseline,
    baseline_ops_per_sec: round(baselineOpsPerSec),
    ratio: round(opsPerSec / baselineOpsPerSec),
  };
}

/** A size measurement (bytes of a bundle), printed as its own JSON line. */
export interface SizeResult {
  bench: string;
  bytes: number;
  gzip_bytes: number;
  note: string;
}

/** A benchmark module under bench/ exports `benchmarks: Benchmark[]`; bench/run.ts runs them all. */
export interface Benchmark {
  name: string;
  /** Throughput (BenchResult), size (SizeResult) or latency (verify-latency) results, one JSON line each. */
  run(): Promise<(BenchResult | SizeResult | object)[]>;
}
