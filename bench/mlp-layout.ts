/**
 * Does where the weights and Adam's moments sit in memory move the native MLP epoch? One build of
 * the addon trains the mlp bench's network on state sets whose three arrays (params, m, v) lie at
 * chosen offsets within a 4 KB page, the sets taking turns epoch by epoch; prints each set's min /
 * first quartile / median ms per epoch. Before the epoch copied them into its own arena, a set
 * placed 0 / 1 KB / 2 KB was ~8% slower than the others.
 * Usage: ROUNDS=12 THREADS=2 npx tsx bench/mlp-layout.ts path/to/kiln.node
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { NativeAddon } from '../src/backend/native/addon.js';
import { Rng } from '../src/index.js';
import { mlpBenchData } from './mlp.bench.js';

const path = process.argv[2];
if (!path) throw new Error('usage: ROUNDS=12 THREADS=2 npx tsx bench/mlp-layout.ts path/to/kiln.node');
const addon = createRequire(import.meta.url)(resolve(path)) as NativeAddon & { setThreads(n: number): number };
addon.setThreads(Number(process.env.THREADS ?? 2));
const { X, y } = mlpBenchData();
const n = y.length,
  sizes = Int32Array.from([X.length / n, 128, 128, 10]);
let total = 0;
for (let l = 0; l + 1 < sizes.length; l++) total += sizes[l] * sizes[l + 1] + sizes[l + 1];
const rng = new Rng(3);
const init = Float32Array.from({ length: total }, () => rng.normal() * 0.05);
// Byte offsets of params, m and v within their 256 KB slots of one ArrayBuffer.
const layouts: Record<string, number[]> = {
  'all at 0': [0, 0, 0],
  '0/1K/2K': [0, 1024, 2048],
  '0/2K/3K': [0, 2048, 3072],
  'all at 64': [64, 64, 64],
  '0/448/832': [0, 448, 832],
};
const slot = 256 * 1024;
const sets = Object.entries(layouts).map(([name, offsets]) => {
  const buffer = new ArrayBuffer(3 * slot + 4096);
  const [params, m, v] = offsets.map((off, i) => new Float32Array(buffer, i * slot + off, total));
  params.set(init);
  return { name, params, m, v, step: new Float64Array(1), times: [] as number[] };
});
const order = Int32Array.from({ length: n }, (_, i) => i),
  loss = new Float64Array(1);
const rounds = Number(process.env.ROUNDS ?? 12);
for (let r = 0; r < rounds; r++) {
  rng.shuffle(order);
  for (let j = 0; j < sets.length; j++) {
    const s = sets[(j + r) % sets.length];
    const t0 = performance.now();
    addon.mlpEpochSync(sizes, 1, 0, s.params, X, n, y, null, order, 256, 0, 7, 1, 1e-3, 1e-4, 0, 0.9, true, 0.9, 0.999, 1e-8, s.m, s.v, s.step, loss, null);
    s.times.push(performance.now() - t0);
  }
}
const quantile = (a: number[], f: number): string => [...a].sort((p, q) => p - q)[Math.floor(f * (a.length - 1))].toFixed(1);
for (const s of sets)
  console.log(`${s.name.padEnd(10)} min ${quantile(s.times, 0)}  q25 ${quantile(s.times, 0.25)}  median ${quantile(s.times, 0.5)} ms/epoch`);
