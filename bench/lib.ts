/** Shared bench plumbing: tinybench runs, JSON results under bench/results/. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';

export const resultsDir = join(dirname(fileURLToPath(import.meta.url)), 'results');

export interface Timing {
  /** Median latency in ms. */
  medianMs: number;
  meanMs: number;
  /** Relative margin of error of the mean, in percent. */
  rme: number;
  samples: number;
}

/**
 * Times each function with tinybench, all in one Bench so they share the same
 * machine state; returns median latencies (robust on a noisy shared machine).
 */
export async function measure(
  fns: Record<string, () => unknown>,
  opts: { time?: number; iterations?: number; warmupIterations?: number } = {},
): Promise<Record<string, Timing>> {
  // Warm-up covers JIT tiers, the first use of the thread pool and of per-thread packing buffers.
  const bench = new Bench({
    time: opts.time ?? 500,
    iterations: opts.iterations ?? 10,
    warmupIterations: opts.warmupIterations ?? 5,
    warmupTime: 100,
  });
  for (const [name, fn] of Object.entries(fns)) bench.add(name, fn as () => Promise<void>);
  await bench.run();
  const out: Record<string, Timing> = {};
  for (const task of bench.tasks) {
    const r = task.result as any;
    if (r.state !== 'completed') throw new Error(`bench task ${task.name} ${r.state}: ${r.error?.message ?? ''}`);
    out[task.name] = { medianMs: r.latency.p50, meanMs: r.latency.mean, rme: r.latency.rme, samples: r.latency.samples?.length ?? 0 };
  }
  return out;
}

export function writeResults(name: string, data: unknown): string {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ date: new Date().toISOString(), node: process.version, data }, null, 2));
  return path;
}

export const gflops = (m: number, n: number, k: number, ms: number) => (2 * m * n * k) / (ms * 1e6);
