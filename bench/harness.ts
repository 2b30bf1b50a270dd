/**
 * What every benchmark in bench/ returns: our figure and the peer's, measured side by side in one run.
 * scripts/bench.mjs prints them as a table and writes bench/results.json.
 */
export interface BenchResult {
  ours: number;
  peer: number;
  unit: string;
  better: 'higher' | 'lower';
  /** Further figures worth printing (latency percentiles, memory), by name. */
  notes?: Record<string, number | string>;
}

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<BenchResult>;
}

/**
 * Calls `fn` repeatedly for about `ms` milliseconds after a warm-up and returns calls per second. Rounds of
 * ours and the peer are interleaved by the callers, so a slow phase of the machine hits both.
 */
export function opsPerSecond(fn: () => unknown, ms = 1000): number {
  const warmUntil = performance.now() + Math.min(200, ms / 4);
  while (performance.now() < warmUntil) fn();
  let calls = 0;
  const start = performance.now();
  const end = start + ms;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 16; i++) fn();
    calls += 16;
    now = performance.now();
  }
  return (calls * 1000) / (now - start);
}

export async function asyncOpsPerSecond(fn: () => Promise<unknown>, ms = 1000): Promise<number> {
  const warmUntil = performance.now() + Math.min(200, ms / 4);
  while (performance.now() < warmUntil) await fn();
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now < start + ms) {
    await fn();
    calls++;
    now = performance.now();
  }
  return (calls * 1000) / (now - start);
}

/** The p-th percentile (0..100) of samples, by nearest rank. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
