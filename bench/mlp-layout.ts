/**
 * Does where the weights and Adam's moments sit in memory move the native MLP epoch? One build of
 * the addon trains the mlp bench's network on state sets whose three arrays (params, m, v) lie at
 * chosen offsets within a 4 KB page, the sets taking turns epoch by epoch; prints each set's min /
 * first quartile / median ms per epoch. Before the epoch copied them into its own arena, a set
 * placed 0 / 1 KB / 2 KB was ~8% slower than the others.
 * Usage: ROUNDS=12 THREADS=2 npx tsx bench/mlp-layout.ts path/to/kiln.node
 */
import { benchNetwork, loadBuild, summary, timedEpoch } from './mlp-native.js';

const path = process.argv[2];
if (!path) throw new Error('usage: ROUNDS=12 THREADS=2 npx tsx bench/mlp-layout.ts path/to/kiln.node');
const addon = loadBuild(path, Number(process.env.THREADS ?? 2));
const net = benchNetwork();
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
  const [params, m, v] = offsets.map((off, i) => new Float32Array(buffer, i * slot + off, net.total));
  params.set(net.init);
  return { name, state: { params, m, v, step: new Float64Array(1) }, times: [] as number[] };
});
const order = Int32Array.from({ length: net.y.length }, (_, i) => i);
const rounds = Number(process.env.ROUNDS ?? 12);
for (let r = 0; r < rounds; r++) {
  net.rng.shuffle(order);
  for (let j = 0; j < sets.length; j++) {
    const s = sets[(j + r) % sets.length];
    s.times.push(timedEpoch(addon, net, s.state, order));
  }
}
for (const s of sets) console.log(`${s.name.padEnd(10)} ${summary(s.times)}`);
