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
import { benchNetwork, type EpochState, loadBuild, summary, timedEpoch } from './mlp-native.js';

const paths = process.argv.slice(2);
if (paths.length < 2) throw new Error('usage: ROUNDS=30 THREADS=2 npx tsx bench/mlp-ab.ts OLD/kiln.node NEW/kiln.node [MORE/kiln.node...]');
const rounds = Number(process.env.ROUNDS ?? 30),
  threads = Number(process.env.THREADS ?? 2);
const builds = paths.map((path) => ({ path, addon: loadBuild(path, threads) }));
const net = benchNetwork();
const state: EpochState[] = builds.map(() => ({
  params: Float32Array.from(net.init),
  m: new Float32Array(net.total),
  v: new Float32Array(net.total),
  step: new Float64Array(1),
}));
const order = Int32Array.from({ length: net.y.length }, (_, i) => i);
const times: number[][] = builds.map(() => []);
for (let r = 0; r < rounds; r++) {
  net.rng.shuffle(order);
  for (let j = 0; j < builds.length; j++) {
    // Each build trains on each state set in turn: where the arrays sit in memory moves an epoch by
    // a few percent (an A/A run of one build with fixed sets: the second build won 32 of 40 rounds).
    const k = (j + r) % builds.length;
    times[k].push(timedEpoch(builds[k].addon, net, state[(k + r) % builds.length], order));
  }
}
builds.forEach((b, k) => {
  const wins = times[k].filter((t, r) => t < times[0][r]).length;
  // The sets pass through every build: they end equal only if the builds compute the same bits.
  const same = state[k].params.every((v, i) => Object.is(v, state[0].params[i]));
  const versus = k > 0 ? `; beat the first in ${wins} of ${rounds} rounds; same weights: ${same}` : '';
  console.log(`${b.path}: ${summary(times[k])}${versus}`);
});
console.log(`threads ${threads}, load ${(await import('node:os')).loadavg()[0].toFixed(2)}`);
