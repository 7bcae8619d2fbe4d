/**
 * Fingerprints of native MLP fits, to show that a change to the training loop leaves the
 * results the same bit for bit (or to say which bits moved): for each network below, a hash of
 * every weight, of the predictions on the first 500 rows (biases included) and of each epoch's
 * loss, at 1 and 2 threads. Run it on two builds and compare the lines.
 * Usage: npx tsx bench/mlp-hash.ts
 */
import { Matrix, MLPClassifier, MLPRegressor, Rng, setThreads } from '../src/index.js';
import type { MLPParams } from '../src/models/neural/mlp-params.js';

const N = 3000,
  D = 20;

/** FNV-1a over the bytes of each array, in order. */
function hash(arrays: ArrayLike<number>[]): string {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    const bytes = new Uint8Array(Float64Array.from(a).buffer);
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function data(): { X: Matrix; y: number[]; t: Float64Array; w: Float64Array } {
  const rng = new Rng(5);
  const X = new Float32Array(N * D).map(() => rng.normal());
  const y: number[] = [],
    t = new Float64Array(N * 2),
    w = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < D; j++) s += X[i * D + j] * ((j % 5) - 2);
    y.push(s > 2 ? 2 : s > -2 ? 1 : 0);
    t[2 * i] = s + rng.normal();
    t[2 * i + 1] = Math.sin(s);
    w[i] = 0.5 + rng.random();
  }
  return { X: new Matrix(X, N, D), y, t, w };
}

type Case = { name: string; params: Partial<MLPParams>; regression?: boolean; weighted?: boolean };
const base: Partial<MLPParams> = { maxIter: 4, tol: null, backend: 'native', randomState: 3 };
const cases: Case[] = [
  { name: 'adam 128-128 batch 256', params: { hiddenLayerSizes: [128, 128], batchSize: 256 } },
  { name: 'adam 64 batch 37', params: { hiddenLayerSizes: [64], batchSize: 37 } },
  { name: 'adam 200-50 batch 1000 weighted', params: { hiddenLayerSizes: [200, 50], batchSize: 1000 }, weighted: true },
  { name: 'sgd tanh 96 batch 100', params: { hiddenLayerSizes: [96], solver: 'sgd', activation: 'tanh', batchSize: 100 } },
  { name: 'adamw logistic 70-70 batch 200', params: { hiddenLayerSizes: [70, 70], solver: 'adamw', activation: 'logistic', batchSize: 200 } },
  { name: 'adam dropout 128 batch 256', params: { hiddenLayerSizes: [128], dropout: 0.2, batchSize: 256 } },
  { name: 'regressor adam 128-64 batch 2000', params: { hiddenLayerSizes: [128, 64], batchSize: 2000 }, regression: true },
  { name: 'regressor sgd 300 batch 64', params: { hiddenLayerSizes: [300], solver: 'sgd', batchSize: 64, learningRateInit: 1e-4 }, regression: true },
];

const { X, y, t, w } = data();
const head = new Matrix((X.data as Float32Array).slice(0, 500 * D), 500, D);
for (const threads of [1, 2]) {
  setThreads(threads);
  for (const c of cases) {
    const params = { ...base, ...c.params };
    const opts = c.weighted ? { sampleWeight: w } : {};
    const model = c.regression ? await new MLPRegressor(params).fit(X, new Matrix(t, N, 2), opts) : await new MLPClassifier(params).fit(X, y, opts);
    const out = model instanceof MLPClassifier ? await model.predictProba(head) : await model.predict(head);
    const weights = hash(model.coefs.map((m) => m.data));
    const outputs = hash([(out as Matrix).data]);
    const losses = hash([model.history.map((e) => e.loss)]);
    console.log(`${threads} thread(s)  ${c.name.padEnd(34)} weights ${weights}  outputs ${outputs}  losses ${losses}`);
  }
}
