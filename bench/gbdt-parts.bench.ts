/**
 * The hist engine's parts, on one thread so CPU time is the figure (this machine is shared):
 * per-round gradient and tree-growth CPU ms on 2.4M synthetic rows shaped like the flights
 * benchmark (4 numeric, 2 categorical features with 229 levels; 31 leaves), batch prediction CPU
 * ms for 600k rows × 100 trees, a round's row sample (bagging, GOSS) of the 2.4M rows, single-row predictProbaSync p50 (best of 8 × 5,000 rows),
 * quantisation of 10M rows (native kernel vs the TypeScript fallback), and a fully grown
 * DecisionTree / a 20-tree RandomForest on 200k × 8.
 * Run: npm run bench -- gbdt-parts   (results in bench/results/gbdt-parts.json)
 */
import { DecisionTreeClassifier, GradientBoostingClassifier, Matrix, RandomForestClassifier, Rng, setThreads } from '../src/index.js';
import { nativeAddon } from '../src/backend/native/index.js';
import { quantizeGradientsJs } from '../src/backend/hist/quantize.js';
import { nativeQuantizer } from '../src/backend/native/hist.js';
import { fitBinMapper } from '../src/models/tree/binning.js';
import { binMatrix, growTree, treeBackend } from '../src/models/tree/engine.js';
import { writeResults } from './lib.js';

const cpuMs = <T>(f: () => T): [T, number] => {
  const c = process.cpuUsage();
  const r = f();
  return [r, process.cpuUsage(c).user / 1000];
};

function flightsShaped(n: number, seed: number): { X: Matrix; y: Float64Array } {
  const rng = new Rng(seed),
    X = new Float64Array(n * 6),
    y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const hour = rng.int(24),
      origin = rng.int(229),
      dest = rng.int(229);
    X.set([rng.int(6) + 1, rng.int(7), hour, rng.random() * 3000, origin, dest], i * 6);
    y[i] = rng.random() < 0.15 + 0.1 * Math.sin(hour / 4) + (origin % 7 === 0 ? 0.15 : 0) + (dest % 5 === 0 ? 0.1 : 0) ? 1 : 0;
  }
  return { X: new Matrix(X, n, 6), y };
}

export async function benchGbdtParts(): Promise<void> {
  setThreads(1);
  const rows: Record<string, unknown>[] = [];
  const add = (row: Record<string, unknown>) => {
    rows.push(row);
    console.table([row]);
  };

  // Rounds of the engine, called directly so each part is timed alone.
  const { X, y } = flightsShaped(2_400_000, 1);
  const backend = await treeBackend('native', 1e9, 'bench');
  const mapper = fitBinMapper(X, Uint8Array.of(0, 0, 0, 0, 1, 1), 255, 0, 'bench');
  const data = await binMatrix(backend, X, mapper);
  const scores = new Float64Array(X.rows),
    gh = new Float64Array(2 * X.rows);
  for (const quantized of [0, 1]) {
    const params = {
      maxLeaves: 31,
      maxDepth: -1,
      minDataInLeaf: 20,
      minDataToSplit: 0,
      minSumHessianInLeaf: 1,
      minGainToSplit: 0,
      lambdaL1: 0,
      lambdaL2: 0,
      catSmooth: 10,
      catL2: 10,
      maxCatToOnehot: 4,
      featureFractionByNode: 1,
      seed: 1,
      quantized,
      randomThresholds: 0,
    };
    let grad = 0,
      grow = 0;
    const R = 8;
    for (let r = 0; r < R; r++) {
      let c = process.cpuUsage();
      await backend.gradients('logistic', X.rows, 1, y, scores, null, 1, gh);
      grad += process.cpuUsage(c).user / 1000;
      c = process.cpuUsage();
      await growTree(backend, data, gh, 1, params, { scores, scoreStride: 1, scoreColumn: 0, scale: 0.1 });
      grow += process.cpuUsage(c).user / 1000;
    }
    add({
      part: `round on 2.4M × 6, 31 leaves${quantized ? ', quantised' : ''} (1 thread, CPU ms)`,
      gradientMs: +(grad / R).toFixed(1),
      growMs: +(grow / R).toFixed(1),
    });
  }

  // A round's row sample on the same 2.4M rows (gradients from the rounds above): bagging 30%, and
  // GOSS (top 20% + 10% drawn), which scales the drawn rows' gradients, so each call gets a fresh copy.
  const sampleOut = new Int32Array(X.rows),
    ghCopy = new Float64Array(gh.length);
  for (const strategy of ['bagging', 'goss'] as const) {
    let ms = 0;
    const R = 10;
    for (let r = 0; r < R; r++) {
      ghCopy.set(gh);
      const c = process.cpuUsage();
      await backend.sampleRows({ strategy, n: X.rows, k: 1, gradHess: ghCopy, rate: 0.3, topRate: 0.2, otherRate: 0.1, seed: r, out: sampleOut });
      ms += process.cpuUsage(c).user / 1000;
    }
    add({ part: `row sample of 2.4M rows, ${strategy} (1 thread, CPU ms)`, cpuMs: +(ms / R).toFixed(1) });
  }

  // Prediction: a 100-tree model trained on 300k rows, 600k rows scored.
  const train = flightsShaped(300_000, 2),
    test = flightsShaped(600_000, 3);
  const model = await new GradientBoostingClassifier({ nEstimators: 100, categoricalFeatures: [4, 5], backend: 'native' }).fit(train.X, Array.from(train.y));
  const forest = model.ensemble.forest(),
    out = new Float64Array(test.X.rows);
  const [, batchCpu] = cpuMs(() => nativeAddon().histPredictSync(test.X.data, test.X.rows, 6, forest, 0, model.ensemble.trees, out, 1, null));
  add({ part: 'batch predict 600k rows × 100 trees (1 thread)', cpuMs: Math.round(batchCpu), rowsPerCpuSecond: Math.round(test.X.rows / (batchCpu / 1000)) });
  const row = new Matrix(new Float64Array(6), 1, 6);
  let best = Infinity;
  for (let rep = 0; rep < 8; rep++) {
    const lat: number[] = [];
    for (let i = 0; i < 5000; i++) {
      row.data.set(test.X.data.subarray(i * 6, i * 6 + 6));
      const t = process.hrtime.bigint();
      model.predictProbaSync(row);
      lat.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    lat.sort((a, b) => a - b);
    best = Math.min(best, lat[lat.length >> 1]);
  }
  add({ part: 'predictProbaSync, one row, p50 (best of 8 × 5,000)', us: +best.toFixed(2) });

  // Quantisation for the WebGPU engine's host side.
  const n = 10_000_000,
    g = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    g[2 * i] = Math.sin(i);
    g[2 * i + 1] = 0.2;
  }
  for (const [name, f] of [
    ['native', nativeQuantizer(nativeAddon())],
    ['typescript', quantizeGradientsJs],
  ] as const) {
    let ms = Infinity;
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      f(g, null, n, 7);
      ms = Math.min(ms, performance.now() - t);
    }
    add({ part: `quantise 10M rows, ${name}`, ms: Math.round(ms) });
  }

  // Fully grown trees.
  setThreads(2);
  const rng = new Rng(3),
    m = 200_000,
    Xd = new Float64Array(m * 8),
    yd: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < 8; j++) Xd[i * 8 + j] = rng.normal();
    yd.push(Xd[i * 8] * Xd[i * 8 + 1] + 0.3 * rng.normal() > 0 ? 1 : 0);
  }
  const Xm = new Matrix(Xd, m, 8);
  let t = performance.now();
  const dt = await new DecisionTreeClassifier().fit(Xm, yd);
  add({ part: 'DecisionTreeClassifier 200k × 8, fully grown (2 threads)', s: +((performance.now() - t) / 1000).toFixed(2), nodes: dt.ensemble.nodes });
  t = performance.now();
  await new RandomForestClassifier({ nEstimators: 20 }).fit(Xm, yd);
  add({ part: 'RandomForestClassifier 20 trees, 200k × 8 (2 threads)', s: +((performance.now() - t) / 1000).toFixed(2) });
  console.log(`results: ${writeResults('gbdt-parts', rows)}`);
}
