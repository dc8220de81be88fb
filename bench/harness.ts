/** Shared by the benchmarks: an entry compares our figure with a baseline measured in the same run. */
export type BenchEntry = {
  name: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  /** value / baselineValue: above 1 means we are faster for throughput units. */
  ratio: number;
};

export function entry(name: string, unit: string, value: number, baseline: string, baselineValue: number): BenchEntry {
  const round = (n: number) => Math.round(n * 100) / 100;
  return { name, unit, value: round(value), baseline, baselineValue: round(baselineValue), ratio: round(value / baselineValue) };
}

/** Median wall time (ms) of `runs` runs of `fn`, each preceded by `before` (not timed). */
export async function medianMs(runs: number, fn: () => Promise<unknown>, before: () => Promise<unknown> = async () => {}) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before();
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

/** The middle value (the upper one of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Benchmarks print their entries as one JSON line on stdout; bench/run.ts collects them. */
export function report(entries: BenchEntry[]) {
  process.stdout.write(`BENCH ${JSON.stringify(entries)}\n`);
}
