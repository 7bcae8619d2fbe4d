/**
 * Results must not depend on the thread count: a native kernel's parallel split decides which
 * elements take a vectorised loop's body or its remainder (which may round differently) and which
 * partial sums are added together, so a split that follows the threads changes the last bits
 * (this happened to the MLP's optimiser step, the activations and KMeans, each with its own test,
 * and to groupBy's sums, below).
 * This one fits a broad set of estimators on 1 and 2 threads, at sizes where the pool splits the
 * work, and compares every output bit for bit.
 */
import { describe, expect, it } from 'vitest';
import {
  ElasticNet,
  Frame,
  GaussianMixture,
  IsolationForest,
  KNeighborsClassifier,
  LinearDiscriminantAnalysis,
  LocalOutlierFactor,
  LogisticRegression,
  Matrix,
  PCA,
  QuantileTransformer,
  Ridge,
  Rng,
  SGDClassifier,
  StandardScaler,
  SVC,
  TruncatedSVD,
  columnStats,
  corr,
} from '../../src/index.js';
import { available } from '../helpers/backends.js';
import { onThreadCounts } from '../helpers/threads.js';

/** Every number in a result (matrices, typed arrays, nested objects and arrays), in a fixed order. */
function numbers(v: unknown, out: number[] = []): number[] {
  if (typeof v === 'number') out.push(v);
  else if (v instanceof Matrix) numbers(v.data, out);
  else if (ArrayBuffer.isView(v) || Array.isArray(v)) for (const e of Array.from(v as ArrayLike<unknown>)) numbers(e, out);
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v).sort()) numbers((v as Record<string, unknown>)[k], out);
  return out;
}

describe.runIf(available.includes('native'))('results on any thread count', () => {
  const rng = new Rng(41),
    n = 20_000,
    d = 16;
  const data = Float64Array.from({ length: n * d }, () => rng.normal());
  const X = new Matrix(data, n, d),
    few = new Matrix(data.subarray(0, 3000 * d), 3000, d),
    svmX = new Matrix(data.subarray(0, 5000 * d), 5000, d); // kernel rows past the solver's 2^15-value split
  const y = Array.from({ length: n }, (_, i) => (data[i * d] + data[i * d + 1] * data[i * d + 2] + 0.5 * rng.normal() > 0 ? 1 : 0));
  const yr = Array.from({ length: n }, (_, i) => 2 * data[i * d] + Math.sin(data[i * d + 1]) + 0.1 * rng.normal());
  const groups = new Frame({
    k: { kind: 'categorical', labels: Array.from({ length: 50 }, (_, i) => `g${i}`), codes: Int32Array.from({ length: 600_000 }, () => rng.int(50)) },
    v: { kind: 'numeric', values: Float64Array.from({ length: 600_000 }, () => (rng.random() - 0.3) * 10 ** (rng.int(12) - 3)) },
  });
  const cases: [string, () => Promise<unknown>][] = [
    ['LogisticRegression', async () => (await new LogisticRegression({ backend: 'native' }).fit(X, y)).predictProba(X)],
    ['Ridge', async () => (await new Ridge().fit(X, yr)).predict(X)],
    ['ElasticNet', async () => (await new ElasticNet({ alpha: 0.01 }).fit(X, yr)).predict(X)],
    ['SGDClassifier', async () => (await new SGDClassifier({ randomState: 1, backend: 'native' }).fit(X, y)).decisionFunction(X)],
    ['PCA', async () => (await new PCA({ nComponents: 4 }).fit(X)).transform(X)],
    ['TruncatedSVD', async () => (await new TruncatedSVD({ nComponents: 4, randomState: 1 }).fit(X)).transform(X)],
    ['LinearDiscriminantAnalysis', async () => (await new LinearDiscriminantAnalysis().fit(X, y)).predictProba(X)],
    ['GaussianMixture', async () => (await new GaussianMixture({ nComponents: 3, randomState: 1 }).fit(few)).predictProba(few)],
    ['KNeighborsClassifier', async () => (await new KNeighborsClassifier({ nNeighbors: 5 }).fit(X, y)).predictProba(few)],
    ['LocalOutlierFactor', async () => (await new LocalOutlierFactor({ novelty: true }).fit(few)).scoreSamples(few)],
    ['IsolationForest', async () => (await new IsolationForest({ randomState: 1 }).fit(X)).scoreSamples(few)],
    ['SVC (rbf)', async () => (await new SVC({ kernel: 'rbf' }).fit(svmX, y.slice(0, 5000))).decisionFunction(few)],
    ['StandardScaler', async () => new StandardScaler().fitTransform(X)],
    ['QuantileTransformer', async () => new QuantileTransformer().fitTransform(X)],
    ['columnStats', async () => columnStats(X)],
    ['corr (spearman)', async () => corr(X, { method: 'spearman' })],
    // 600,000 rows: past two of the group kernel's 256K-row blocks. Magnitudes over twelve decades,
    // so that sums merged in another order round differently.
    [
      'Frame.groupBy sums',
      async () =>
        groups
          .groupBy('k')
          .agg({ v: ['sum', 'mean'] })
          .column('v_sum'),
    ],
  ];
  for (const [name, fit] of cases) {
    it(`${name}: the same bits on one thread and two`, async () => {
      const [one, two] = await onThreadCounts(async () => numbers(await fit()));
      expect(one.length).toBeGreaterThan(0);
      expect(two).toEqual(one);
    });
  }
});
