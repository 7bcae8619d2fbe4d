/** Shared bench plumbing: tinybench runs, JSON results under bench/results/, Python peers. */
import { spawnSync } from 'node:child_process';
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

/**
 * Runs a peer script of bench/peers with Debian's /usr/bin/python3 and returns the JSON objects it
 * prints, one a line; [] (with a warning naming `label`) when the peer cannot run, so a machine
 * without scikit-learn or FAISS still benches kiln. OpenBLAS tuning variables some machines set
 * for old builds are dropped (they slow a current one); OpenMP peers wait passively, as kiln does.
 */
export function runPeer(label: string, script: string, args: string[]): any[] {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const peer = spawnSync('/usr/bin/python3', [fileURLToPath(new URL(`./peers/${script}`, import.meta.url)), ...args], {
    encoding: 'utf8',
    env,
    maxBuffer: 1 << 20,
  });
  if (peer.status !== 0) {
    console.warn(`${label} peer unavailable: ${(peer.stderr || peer.error?.message || '').split('\n').slice(-2).join(' ')}`);
    return [];
  }
  return peer.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

/**
 * kiln as a user's process runs it: the package built from the current sources (`npm run
 * build:ts`, outside any timing) and imported from dist/. For the benches that start worker
 * threads: from the TypeScript sources each worker would first load tsx and transpile kiln
 * (about 0.6 s a worker on this machine), a cost only a checkout has.
 */
export async function builtKiln(): Promise<typeof import('../src/index.js')> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const build = spawnSync('npm', ['run', 'build:ts'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build:ts failed:\n${build.stdout}${build.stderr}`);
  return import(new URL('../dist/index.js', import.meta.url).href);
}
