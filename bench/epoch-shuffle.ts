/**
 * An MLP fit's shuffle between epochs: after each native epoch of the mlp bench's network (which
 * pushes the 100,000-row order array out of cache), one shuffle of the order by Rng.shuffle in
 * JavaScript and by shuffleInPlace (the order family's native kernel), alternating; the median ms
 * of each, and whether the two generators ended in the same state (they must). Then short arrays
 * in cache, where ops/shuffle.ts's NATIVE_FROM sits: µs a call, Rng.shuffle against the native
 * order kernel's shuffleI32 (the call, its argument checks and the state round trip included).
 * Usage: npx tsx bench/epoch-shuffle.ts
 */
import { resolveKernels } from '../src/backend/select.js';
import { Rng } from '../src/index.js';
import { shuffleByKernel, shuffleInPlace } from '../src/ops/shuffle.js';
import { benchNetwork, loadBuild, timedEpoch } from './mlp-native.js';
const addon = loadBuild('build/Release/kiln.node', 2);
const net = benchNetwork();
const st = { params: Float32Array.from(net.init), m: new Float32Array(net.total), v: new Float32Array(net.total), step: new Float64Array(1) };
const n = net.y.length;
const order = Int32Array.from({ length: n }, (_, i) => i);
const ra = new Rng(5),
  rb = new Rng(5);
const js: number[] = [],
  nat: number[] = [];
for (let r = 0; r < 16; r++) {
  for (const which of r % 2 ? ['nat', 'js'] : ['js', 'nat']) {
    timedEpoch(addon, net, st, order);
    for (let i = 0; i < n; i++) order[i] = i;
    const t = performance.now();
    if (which === 'js') ra.shuffle(order);
    else shuffleInPlace(order, rb);
    (which === 'js' ? js : nat).push(performance.now() - t);
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1].toFixed(2);
console.log(
  `Rng.shuffle median ${med(js.slice(2))} ms; shuffleInPlace (native) median ${med(nat.slice(2))} ms; states equal: ${ra.getState().every((v, i) => Object.is(v, rb.getState()[i]))}`,
);

const native = (await resolveKernels('order', 'native', 1, 'bench')).kernels;
const sweep: Record<string, string>[] = [];
for (const size of [32, 64, 128, 256, 1024, 2048, 16384]) {
  const a = Int32Array.from({ length: size }, (_, i) => i),
    rng = new Rng(9);
  const reps = Math.max(50, Math.round(2_000_000 / size));
  const time = (f: () => void) => {
    const runs: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t = performance.now();
      for (let i = 0; i < reps; i++) f();
      runs.push(((performance.now() - t) / reps) * 1000);
    }
    return Math.min(...runs).toFixed(2);
  };
  const jsUs = time(() => rng.shuffle(a));
  const nativeUs = time(() => shuffleByKernel(native, a, rng));
  sweep.push({ size: String(size), 'Rng.shuffle µs': jsUs, 'native µs': nativeUs });
}
console.table(sweep);
