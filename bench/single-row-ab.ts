/**
 * Single-row predictSync / predictProbaSync p50 (µs), this checkout against another one's
 * sources (e.g. main) in the same process, alternating 3 times, 100 trees of 31 leaves, numeric
 * and categorical models (the single-row bench's data, one thread).
 * Run: npx tsx bench/single-row-ab.ts /path/to/baseline-checkout   (its native addon built)
 */
import { resolve } from 'node:path';
import * as newK from '../src/index.js';

const baselineRoot = process.argv[2];
if (!baselineRoot) {
  console.error('usage: tsx bench/single-row-ab.ts BASELINE_CHECKOUT');
  process.exit(2);
}
const mainK = await import(resolve(baselineRoot, 'src/index.ts'));
const ROWS = 5000;
function lat(call: (i: number) => unknown) {
  let p50 = Infinity;
  const l = new Float64Array(ROWS);
  for (let pass = 0; pass < 8; pass++) {
    for (let i = 0; i < ROWS; i++) {
      const t = process.hrtime.bigint();
      call(i);
      l[i] = Number(process.hrtime.bigint() - t) / 1000;
    }
    l.sort();
    p50 = Math.min(p50, l[ROWS >> 1]);
  }
  return +p50.toFixed(3);
}
function data(K: any, n: number, seed: number) {
  const rng = new K.Rng(seed),
    X = new Float64Array(n * 6),
    y: number[] = [];
  for (let i = 0; i < n; i++) {
    const hour = rng.int(24),
      o = rng.int(229),
      d = rng.int(229);
    X.set([rng.int(6) + 1, rng.int(7), hour, rng.random() * 3000, o, d], i * 6);
    y.push(rng.random() < 0.15 + 0.1 * Math.sin(hour / 4) + (o % 7 === 0 ? 0.15 : 0) + (d % 5 === 0 ? 0.1 : 0) ? 1 : 0);
  }
  return { X, y };
}
const tr = data(newK, 50000, 2),
  te = data(newK, ROWS, 3);
for (let i = 0; i < ROWS; i += 17) te.X[i * 6 + (i % 6)] = NaN;
const rows = Array.from({ length: ROWS }, (_, i) => te.X.slice(i * 6, i * 6 + 6));
for (const cat of [false, true]) {
  const models: Record<string, any> = {};
  for (const [side, K] of [
    ['main', mainK],
    ['branch', newK],
  ] as const) {
    K.setThreads(1);
    models[side] = {
      K,
      m: await new (K as any).GradientBoostingClassifier({ nEstimators: 100, categoricalFeatures: cat ? [4, 5] : null, backend: 'native' }).fit(
        new (K as any).Matrix(tr.X, 50000, 6),
        tr.y,
      ),
    };
  }
  const res: Record<string, number[]> = {};
  for (let rep = 0; rep < 3; rep++)
    for (const side of ['main', 'branch']) {
      const { K, m } = models[side];
      const one = new K.Matrix(new Float64Array(6), 1, 6);
      (res[`${side} predictProbaSync 1-row Matrix`] ??= []).push(lat((i) => (one.data.set(rows[i]), m.predictProbaSync(one))));
      (res[`${side} predictSync 1-row Matrix`] ??= []).push(lat((i) => (one.data.set(rows[i]), m.predictSync(one))));
      if (side === 'branch') {
        (res['branch predictProbaSync Float64Array row'] ??= []).push(lat((i) => m.predictProbaSync(rows[i])));
        (res['branch predictSync Float64Array row'] ??= []).push(lat((i) => m.predictSync(rows[i])));
      }
    }
  console.log(cat ? 'categorical' : 'numeric', JSON.stringify(res));
}
