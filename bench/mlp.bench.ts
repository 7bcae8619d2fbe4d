/**
 * MLP 64-128-128-10, Adam lr 1e-3, batch 256, on 100,000 × 64 synthetic rows (10
 * classes from a noisy linear map, seeded): time per epoch and training accuracy for
 * kiln (native loop), scikit-learn's MLPClassifier (python3-sklearn), and
 * @tensorflow/tfjs with the wasm backend when present
 * (npm install --no-save @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0:
 * 287 MB, so it is not a dependency). 1 and 2 threads.
 * kiln and scikit-learn alternate KILN_BENCH_REPEATS times (default 3) and each side's fastest
 * epoch time per thread count is reported (every run's, in the JSON): a shared machine's
 * neighbours slow single runs of either by a third at times.
 * Run: npm run bench -- mlp   (results in bench/results/mlp.json)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matrix, MLPClassifier, Rng, setThreads } from '../src/index.js';
import { nativeAddon } from '../src/backend/native/index.js';
import { runPeer, writeResults } from './lib.js';

const N = 100_000,
  D = 64,
  K = 10,
  EPOCHS = 5;
/** kiln and scikit-learn run alternately this many times; the fastest run of each is kept. */
const REPEATS = Number(process.env.KILN_BENCH_REPEATS ?? 3);

async function tfjsWasm(X: Float32Array, y: Int32Array, threads: number): Promise<{ msPerEpoch: number; accuracy: number } | null> {
  let tf: any, wasm: any;
  try {
    tf = await import('@tensorflow/tfjs' as string);
    wasm = await import('@tensorflow/tfjs-backend-wasm' as string);
  } catch {
    return null;
  }
  wasm.setThreadsCount?.(threads);
  await tf.setBackend('wasm');
  await tf.ready();
  const xs = tf.tensor2d(X, [N, D]),
    ys = tf.oneHot(tf.tensor1d(y, 'int32'), K);
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 128, activation: 'relu', inputShape: [D] }),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: K, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const epochs = 2; // ~5 s each here
  const t = performance.now();
  await model.fit(xs, ys, { batchSize: 256, epochs, shuffle: true, verbose: 0 });
  const msPerEpoch = (performance.now() - t) / epochs;
  const acc = (model.evaluate(xs, ys, { batchSize: 4096 }) as any[])[1].dataSync()[0];
  tf.disposeVariables();
  xs.dispose();
  ys.dispose();
  return { msPerEpoch, accuracy: acc };
}

/** The bench's rows: N × D normal features, 10 classes from a noisy linear map (seeded). */
export function mlpBenchData(): { X: Float32Array; y: Int32Array } {
  const rng = new Rng(21);
  const X = new Float32Array(N * D).map(() => rng.normal());
  const W = Float64Array.from({ length: D * K }, () => rng.normal());
  const y = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let best = 0,
      bv = -Infinity;
    for (let k = 0; k < K; k++) {
      let s = 2 * rng.normal();
      for (let j = 0; j < D; j++) s += X[i * D + j] * W[j * K + k];
      if (s > bv) [bv, best] = [s, k];
    }
    y[i] = best;
  }
  return { X, y };
}

/** The bench's network and optimiser (native loop); maxIter epochs. */
export function mlpBenchModel(maxIter: number): MLPClassifier {
  return new MLPClassifier({ hiddenLayerSizes: [128, 128], batchSize: 256, learningRateInit: 1e-3, maxIter, tol: null, backend: 'native' });
}

export async function benchMlp(): Promise<void> {
  const { X, y } = mlpBenchData();
  const labels = Array.from(y),
    Xm = new Matrix(X, N, D);
  const maxThreads = nativeAddon().info().threads;
  const dir = mkdtempSync(join(tmpdir(), 'kiln-mlp-'));
  const rows: Record<string, unknown>[] = [];
  try {
    writeFileSync(join(dir, 'x.f32'), X);
    writeFileSync(join(dir, 'y.i32'), y);
    type Run = { ms: number; cpuMs: number; accuracy: number };
    const kilnRuns = new Map<number, Run[]>(),
      skRuns = new Map<number, Run[]>();
    const runsOf = (m: Map<number, Run[]>, threads: number): Run[] => m.get(threads) ?? m.set(threads, []).get(threads)!;
    for (let rep = 0; rep < REPEATS; rep++) {
      for (const r of runPeer('scikit-learn', 'sklearn_mlp.py', [join(dir, 'x.f32'), join(dir, 'y.i32'), String(D), String(EPOCHS), '1', String(maxThreads)]))
        runsOf(skRuns, r.threads).push({ ms: r.msPerEpoch, cpuMs: Number.NaN, accuracy: r.accuracy });
      for (const threads of [1, maxThreads]) {
        setThreads(threads);
        const t = performance.now(),
          cpu = process.cpuUsage();
        const m = await mlpBenchModel(EPOCHS).fit(Xm, labels);
        const ms = (performance.now() - t) / EPOCHS;
        // CPU time of the whole process (all threads): steadier than wall time on a shared machine.
        const used = process.cpuUsage(cpu);
        runsOf(kilnRuns, threads).push({ ms, cpuMs: (used.user + used.system) / 1000 / EPOCHS, accuracy: await m.score(Xm, labels) });
      }
    }
    const fastest = (runs: Run[] | undefined) => (runs?.length ? runs.reduce((a, b) => (b.ms < a.ms ? b : a)) : null);
    for (const threads of [1, maxThreads]) {
      const k = fastest(kilnRuns.get(threads))!,
        s = fastest(skRuns.get(threads));
      setThreads(threads);
      const tfw = await tfjsWasm(X, y, threads);
      rows.push({
        threads,
        kilnMsPerEpoch: Math.round(k.ms),
        kilnCpuMsPerEpoch: Math.round(k.cpuMs),
        kilnAccuracy: +k.accuracy.toFixed(4),
        sklearnMsPerEpoch: s ? Math.round(s.ms) : null,
        sklearnAccuracy: s ? +s.accuracy.toFixed(4) : null,
        kilnOverSklearn: s ? +(k.ms / s.ms).toFixed(3) : null,
        kilnRunsMs: kilnRuns.get(threads)!.map((r) => Math.round(r.ms)),
        sklearnRunsMs: (skRuns.get(threads) ?? []).map((r) => Math.round(r.ms)),
        tfjsWasmMsPerEpoch: tfw ? Math.round(tfw.msPerEpoch) : null,
        tfjsWasmAccuracy: tfw ? +tfw.accuracy.toFixed(4) : null,
      });
    }
    setThreads(maxThreads);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.table(rows);
  console.log(`results: ${writeResults('mlp', rows)}`);
}
