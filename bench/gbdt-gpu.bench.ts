/**
 * Gradient boosting on WebGPU next to the native engine, both with quantised gradients (so both
 * grow the same trees): the flights model (bench/gbdt.bench.ts's data preparation: 2.4M training
 * rows, 6 features, 2 categorical) and synthetic rows of the same shape (10M by default). Per
 * case: total fit time, time per round (median of the round-to-round intervals after the first,
 * which includes binning and, on webgpu, the bins upload and pipeline compiles), AUC, and whether
 * the two engines' trees are identical. Same parameters as the gbdt suite: learning rate 0.1,
 * 255 bins, 31 leaves, 20 rows per leaf.
 *
 * On a CPU adapter (lavapipe) this is only a path check: the row counts shrink to 20,000 and the
 * rounds to 5. Environment: KILN_BENCH_GPU_ROWS (synthetic rows), KILN_BENCH_GPU_FLIGHTS_ROWS (cap
 * on flights training rows), KILN_BENCH_GPU_ROUNDS, KILN_BENCH_GPU_SYNTH_ROUNDS (default: the
 * same), KILN_BENCH_GPU_THREADS (native threads, default 2: the issue's reference).
 * Run: npm run bench -- gbdt-gpu   (results in bench/results/gbdt-gpu.json)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backends, dispose, GradientBoostingClassifier, Matrix, rocAucScore, setThreads } from '../src/index.js';
import type { TreeEnsemble } from '../src/models/tree/ensemble.js';
import { histGpuStats } from '../src/backend/webgpu/hist/index.js';
import { forestGpuStats } from '../src/backend/webgpu/forest.js';
import { FLIGHTS_GBDT_PARAMS, flights, readF64, synthetic } from './gbdt.bench.js';
import { writeResults } from './lib.js';

const env = (name: string, dflt: number) => (Number(process.env[name]) > 0 ? Number(process.env[name]) : dflt);

interface Fit {
  model: GradientBoostingClassifier;
  totalS: number;
  roundMs: number[];
}

async function fit(backend: 'native' | 'webgpu', X: Matrix, y: number[], rounds: number): Promise<Fit> {
  const stamps: number[] = [];
  const t0 = performance.now();
  const model = await new GradientBoostingClassifier({
    ...FLIGHTS_GBDT_PARAMS,
    nEstimators: rounds,
    categoricalFeatures: [4, 5],
    quantizedGradients: true,
    backend,
  }).fit(X, y, {
    onProgress: () => {
      stamps.push(performance.now());
    },
  });
  const totalS = (performance.now() - t0) / 1000;
  return { model, totalS, roundMs: stamps.map((t, i) => t - (i ? stamps[i - 1] : t0)) };
}

function sameTrees(a: TreeEnsemble, b: TreeEnsemble): boolean {
  if (a.nodes !== b.nodes || a.trees !== b.trees) return false;
  for (const k of ['feature', 'threshold', 'flags', 'left', 'right', 'value'] as const) {
    for (let i = 0; i < a.nodes; i++) if (a[k][i] !== b[k][i]) return false;
  }
  return true;
}

const median = (v: number[]) => {
  const s = [...v].sort((x, y) => x - y);
  return s.length ? s[s.length >> 1] : NaN;
};

async function auc(m: GradientBoostingClassifier, X: Matrix, y: ArrayLike<number>): Promise<number> {
  const p = await m.predictProba(X);
  return rocAucScore(
    Array.from(y),
    Array.from({ length: X.rows }, (_, i) => p.data[2 * i + 1]),
  );
}

function prefix(X: Matrix, rows: number): Matrix {
  return rows >= X.rows ? X : new Matrix(X.data.subarray(0, rows * X.cols), rows, X.cols);
}

export async function benchGbdtGpu(): Promise<void> {
  const gpu = (await backends()).find((b) => b.name === 'webgpu')!;
  if (!gpu.available) {
    console.log(`webgpu unavailable: ${gpu.reason}`);
    return;
  }
  const hardware = gpu.hardware === true;
  const threads = env('KILN_BENCH_GPU_THREADS', 2);
  const rounds = env('KILN_BENCH_GPU_ROUNDS', hardware ? 100 : 5);
  const synthRounds = env('KILN_BENCH_GPU_SYNTH_ROUNDS', rounds);
  const synthRows = env('KILN_BENCH_GPU_ROWS', hardware ? 10_000_000 : 20_000);
  const flightsCap = env('KILN_BENCH_GPU_FLIGHTS_ROWS', hardware ? Infinity : 20_000);
  setThreads(threads);
  console.log(`adapter: ${gpu.description}; native threads: ${threads}${hardware ? '' : ' (CPU adapter: a path check, not GPU figures)'}`);
  const results: Record<string, unknown>[] = [];

  const compare = async (name: string, X: Matrix, y: number[], rs: number, test: { X: Matrix; y: ArrayLike<number> }) => {
    const before = { ...histGpuStats };
    const g = await fit('webgpu', X, y, rs);
    const stats = {
      rounds: histGpuStats.rounds - before.rounds,
      readbacks: histGpuStats.readbacks - before.readbacks,
      fallbackFeatures: histGpuStats.fallbackFeatures - before.fallbackFeatures,
      trees: histGpuStats.trees - before.trees,
    };
    const n = await fit('native', X, y, rs);
    const aucG = await auc(g.model, test.X, test.y),
      aucN = await auc(n.model, test.X, test.y);
    // batch prediction of the test rows as f32: on the device on webgpu (first call uploads the forest)
    const X32 = new Matrix(Float32Array.from(test.X.data), test.X.rows, test.X.cols);
    const timed = async (m: GradientBoostingClassifier) => {
      const t = performance.now();
      const pr = await m.predictProba(X32);
      return { ms: performance.now() - t, p: pr.data };
    };
    const dispatches = forestGpuStats.dispatches;
    const firstG = await timed(g.model),
      warmG = await timed(g.model);
    const onDevice = forestGpuStats.dispatches > dispatches;
    await timed(n.model);
    const warmN = await timed(n.model);
    let predictMaxDiff = 0;
    for (let i = 0; i < warmN.p.length; i++) predictMaxDiff = Math.max(predictMaxDiff, Math.abs(warmG.p[i] - warmN.p[i]));
    const row = {
      case: name,
      rows: X.rows,
      rounds: rs,
      adapter: gpu.description,
      nativeThreads: threads,
      webgpuFitS: +g.totalS.toFixed(2),
      nativeFitS: +n.totalS.toFixed(2),
      speedup: +(n.totalS / g.totalS).toFixed(2),
      webgpuRoundMs: +median(g.roundMs.slice(1)).toFixed(1),
      nativeRoundMs: +median(n.roundMs.slice(1)).toFixed(1),
      webgpuFirstRoundMs: +g.roundMs[0].toFixed(0),
      nativeFirstRoundMs: +n.roundMs[0].toFixed(0),
      webgpuAuc: +aucG.toFixed(5),
      nativeAuc: +aucN.toFixed(5),
      aucDiff: +Math.abs(aucG - aucN).toExponential(2),
      sameTrees: sameTrees(g.model.ensemble, n.model.ensemble),
      gpuRoundsPerTree: +(stats.rounds / Math.max(1, stats.trees)).toFixed(1),
      gpuReadbacksPerTree: +(stats.readbacks / Math.max(1, stats.trees)).toFixed(1),
      fallbackFeatures: stats.fallbackFeatures,
      predictRows: X32.rows,
      predictOnDevice: onDevice,
      webgpuPredictFirstMs: +firstG.ms.toFixed(1),
      webgpuPredictMs: +warmG.ms.toFixed(1),
      nativePredictMs: +warmN.ms.toFixed(1),
      predictMaxDiff: +predictMaxDiff.toExponential(2),
    };
    results.push(row);
    const { adapter: _, ...shown } = row;
    console.table([shown]);
    writeResults('gbdt-gpu', results); // after every case: a run cut short keeps what it measured
  };

  const dir = mkdtempSync(join(tmpdir(), 'kiln-gbdt-gpu-'));
  try {
    const { yTest, train, test } = await flights(dir);
    const f64 = (name: string) => readF64(dir, name);
    const p = 6,
      rows = Math.min(train, flightsCap);
    const Xtr = prefix(new Matrix(f64('xtrain.f64'), train, p), rows);
    const ytr = Array.from(f64('ytrain.f64').subarray(0, rows));
    const Xte = new Matrix(f64('xtest.f64'), test, p);
    await compare(rows < train ? `flights (first ${rows} training rows)` : 'flights', Xtr, ytr, rounds, { X: Xte, y: yTest });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const { X, y } = synthetic(synthRows);
  const holdout = Math.min(synthRows, 200_000); // scored on training rows: both engines see the same
  await compare(`synthetic ${synthRows} rows`, X, y, synthRounds, { X: prefix(X, holdout), y: y.slice(0, holdout) });
  await dispose();
  console.log(`results: ${writeResults('gbdt-gpu', results)}`);
}
