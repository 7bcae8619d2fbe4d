/**
 * A/B of the native MLP epoch between builds of the addon, in one process: the `kiln.node` files
 * are loaded side by side and their epochs take turns (the mlp bench's network and data, Adam,
 * batch 256, the same shuffled order for all; the order of the turns and the state set each build
 * trains on rotate each round), so a busy host and where the arrays sit in memory slow them alike. Prints each build's min / first quartile / median ms per epoch, in
 * how many rounds each beat the first build, and whether each ended with the first one's weights to
 * the bit (they must, unless the change meant to move the numerics). `bench/mlp-fit.ts` times a
 * whole fit (JavaScript included) in fresh processes.
 * Usage: ROUNDS=30 THREADS=2 npx tsx bench/mlp-ab.ts OLD/kiln.node NEW/kiln.node [MORE/kiln.node...]
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { NativeAddon } from '../src/backend/native/addon.js';
import { Rng } from '../src/index.js';
import { mlpBenchData } from './mlp.bench.js';

const paths = process.argv.slice(2);
if (paths.length < 2) throw new Error('usage: ROUNDS=30 THREADS=2 npx tsx bench/mlp-ab.ts OLD/kiln.node NEW/kiln.node [MORE/kiln.node...]');
const rounds = Number(process.env.ROUNDS ?? 30),
  threads = Number(process.env.THREADS ?? 2);
const load = createRequire(import.meta.url);
const builds = paths.map((p) => ({ path: p, addon: load(resolve(p)) as NativeAddon & { setThreads(n: number): number } }));
for (const b of builds) b.addon.setThreads(threads);

const { X, y } = mlpBenchData();
const n = y.length,
  sizes = Int32Array.from([X.length / n, 128, 128, 10]);
let total = 0;
for (let l = 0; l + 1 < sizes.length; l++) total += sizes[l] * sizes[l + 1] + sizes[l + 1];
const rng = new Rng(3);
const init = Float32Array.from({ length: total }, () => rng.normal() * 0.05);
const state = builds.map(() => ({ params: Float32Array.from(init), m: new Float32Array(total), v: new Float32Array(total), step: new Float64Array(1) }));
const order = Int32Array.from({ length: n }, (_, i) => i);
const loss = new Float64Array(1);
const times: number[][] = builds.map(() => []);
for (let r = 0; r < rounds; r++) {
  rng.shuffle(order);
  for (let j = 0; j < builds.length; j++) {
    // Each build trains on each state set in turn: where the arrays sit in memory moves an epoch by
    // a few percent (an A/A run of one build with fixed sets: the second build won 32 of 40 rounds).
    const k = (j + r) % builds.length,
      s = state[(k + r) % builds.length];
    const t0 = performance.now();
    builds[k].addon.mlpEpochSync(
      sizes,
      1,
      0,
      s.params,
      X,
      n,
      y,
      null,
      order,
      256,
      0,
      7,
      1,
      1e-3,
      1e-4,
      0,
      0.9,
      true,
      0.9,
      0.999,
      1e-8,
      s.m,
      s.v,
      s.step,
      loss,
      null,
    );
    times[k].push(performance.now() - t0);
  }
}
const quantile = (a: number[], f: number): string => [...a].sort((p, q) => p - q)[Math.floor(f * (a.length - 1))].toFixed(1);
builds.forEach((b, k) => {
  const wins = times[k].filter((t, r) => t < times[0][r]).length;
  // The sets pass through every build: they end equal only if the builds compute the same bits.
  const same = state[k].params.every((v, i) => Object.is(v, state[0].params[i]));
  console.log(
    `${b.path}: min ${quantile(times[k], 0)}  q25 ${quantile(times[k], 0.25)}  median ${quantile(times[k], 0.5)} ms/epoch` +
      (k > 0 ? `; beat the first in ${wins} of ${rounds} rounds; same weights: ${same}` : ''),
  );
});
console.log(`threads ${threads}, load ${(await import('node:os')).loadavg()[0].toFixed(2)}`);
