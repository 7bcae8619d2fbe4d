/**
 * Single-row prediction latency through the public sync API, 100 trees of 31 leaves (issue 24):
 * `predictProbaSync` on a 1-row Matrix (the path before single rows were taken as they are), on
 * a Float64Array row and on a number[] row; the native call alone (bitvector scorer, tree walk,
 * the earlier per-call entry, and a forest of no trees: the N-API call's own cost); and batch
 * prediction, unchanged, against a baseline build of the addon in the same run.
 * Run: npm run bench -- single-row
 *      KILN_BASELINE_ADDON=/path/to/main/build/Release/kiln.node npm run bench -- single-row
 * p50 / p99 per call in µs: the best of 8 passes over 5,000 rows, one call timed at a time
 * (process.hrtime.bigint, whose own cost is the `timer` row).
 */
import { createRequire } from 'node:module';
import { GradientBoostingClassifier, Matrix, Rng, setThreads } from '../src/index.js';
import type { NativeAddon } from '../src/backend/native/addon.js';
import { nativeAddon } from '../src/backend/native/index.js';
import { writeResults } from './lib.js';

/** Rows shaped like the flights set: 4 numeric features, origin/destination codes of 229 levels. */
function flightsShaped(n: number, seed: number): { X: Matrix<Float64Array>; y: number[] } {
  const rng = new Rng(seed),
    X = new Float64Array(n * 6),
    y: number[] = [];
  for (let i = 0; i < n; i++) {
    const hour = rng.int(24),
      origin = rng.int(229),
      dest = rng.int(229);
    X.set([rng.int(6) + 1, rng.int(7), hour, rng.random() * 3000, origin, dest], i * 6);
    y.push(rng.random() < 0.15 + 0.1 * Math.sin(hour / 4) + (origin % 7 === 0 ? 0.15 : 0) + (dest % 5 === 0 ? 0.1 : 0) ? 1 : 0);
  }
  return { X: new Matrix(X, n, 6), y };
}

const ROWS = 5000;

/** p50 and p99 of one call, µs: the best of 8 passes over the rows. */
function latency(call: (i: number) => unknown): { p50: number; p99: number } {
  let p50 = Infinity,
    p99 = Infinity;
  const lat = new Float64Array(ROWS);
  for (let pass = 0; pass < 8; pass++) {
    for (let i = 0; i < ROWS; i++) {
      const t = process.hrtime.bigint();
      call(i);
      lat[i] = Number(process.hrtime.bigint() - t) / 1000;
    }
    lat.sort();
    p50 = Math.min(p50, lat[ROWS >> 1]);
    p99 = Math.min(p99, lat[Math.floor(ROWS * 0.99)]);
  }
  return { p50: +p50.toFixed(3), p99: +p99.toFixed(3) };
}

export async function benchSingleRow(): Promise<void> {
  setThreads(1);
  const addon = nativeAddon();
  const baselinePath = process.env.KILN_BASELINE_ADDON;
  const baseline = baselinePath ? (createRequire(import.meta.url)(baselinePath) as NativeAddon) : null;
  baseline?.setThreads(1); // its own copy of the thread pool: one thread too, as this build's
  const train = flightsShaped(50_000, 2),
    test = flightsShaped(ROWS, 3);
  // Missing values in some rows, as served rows have them.
  for (let i = 0; i < ROWS; i += 17) test.X.data[i * 6 + (i % 6)] = NaN;
  const f64Rows = Array.from({ length: ROWS }, (_, i) => test.X.data.slice(i * 6, i * 6 + 6));
  const arrayRows = f64Rows.map((r) => Array.from(r));
  const results: Record<string, unknown>[] = [];
  const add = (row: Record<string, unknown>) => {
    results.push(row);
    console.table([row]);
  };
  add({ model: '-', path: 'timer (hrtime pair)', ...latency(() => 0) });

  for (const categorical of [false, true]) {
    const model = await new GradientBoostingClassifier({
      nEstimators: 100,
      maxLeaves: 31,
      categoricalFeatures: categorical ? [4, 5] : null,
      backend: 'native',
    }).fit(train.X, train.y);
    const name = categorical ? 'categorical' : 'numeric';
    const one = new Matrix(new Float64Array(6), 1, 6);
    add({ model: name, path: 'predictProbaSync(1-row Matrix)', ...latency((i) => (one.data.set(f64Rows[i]), model.predictProbaSync(one))) });
    add({ model: name, path: 'predictProbaSync(Float64Array row)', ...latency((i) => model.predictProbaSync(f64Rows[i])) });
    add({ model: name, path: 'predictProbaSync(number[] row)', ...latency((i) => model.predictProbaSync(arrayRows[i])) });
    add({ model: name, path: 'predictSync(Float64Array row)', ...latency((i) => model.predictSync(f64Rows[i])) });

    // The native call alone, on a forest prepared and bound as the sync path does it.
    const forest = model.ensemble.forest();
    const handle = addon.histForestPrepare(forest, 6, 1),
      buffer = new Float64Array(7),
      out = new Float64Array(1);
    addon.histForestBindRow(handle, buffer);
    const bound = (i: number) => buffer.set(f64Rows[i]);
    add({
      model: name,
      path: `native row, bitvector scorer (${addon.histForestRowScorer(handle)})`,
      ...latency((i) => (bound(i), addon.histForestPredictRow(handle))),
    });
    add({ model: name, path: 'native row, tree walk', ...latency((i) => (bound(i), addon.histForestPredictRow(handle, true))) });
    add({ model: name, path: 'native histForestPredictSync (per-call args)', ...latency((i) => addon.histForestPredictSync(handle, f64Rows[i], 1, out)) });
    if (!categorical) {
      const none = { ...forest, roots: new Int32Array(0), treeColumn: new Int32Array(0), treeWeight: new Float64Array(0) };
      const empty = addon.histForestPrepare(none, 6, 1);
      addon.histForestBindRow(empty, new Float64Array(7));
      add({ model: '-', path: 'native row, forest of no trees (the N-API call)', ...latency(() => addon.histForestPredictRow(empty)) });
    }

    // Batch prediction (one thread, 200k rows), alternating with the baseline addon.
    const big = flightsShaped(200_000, 4).X,
      scores = new Float64Array(big.rows);
    const sides: [string, NativeAddon][] = baseline
      ? [
          ['this build', addon],
          ['baseline', baseline],
        ]
      : [['this build', addon]];
    const best: Record<string, number> = {};
    for (let rep = 0; rep < 5; rep++) {
      for (const [side, a] of sides) {
        const t = process.hrtime.bigint();
        a.histPredictSync(big.data, big.rows, 6, forest, 0, forest.roots.length, scores, 1, null);
        best[side] = Math.min(best[side] ?? Infinity, Number(process.hrtime.bigint() - t) / 1e6);
      }
    }
    for (const [side] of sides)
      add({
        model: name,
        path: `batch 200k rows, 1 thread, ms (${side})`,
        ms: +best[side].toFixed(1),
        rowsPerSecond: Math.round(big.rows / (best[side] / 1000)),
      });
  }
  console.log(`results: ${writeResults('single-row', results)}`);
}
