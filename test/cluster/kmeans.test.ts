/**
 * KMeans and MiniBatchKMeans: scikit-learn parity (the kmeans fixtures' inertia, at_most), the
 * fixed point (each centre is its cluster's weighted mean, labels are the nearest centre), Lloyd
 * and Elkan agreeing from the same centres, backends agreeing, weights as repeated rows, the
 * tolerance scaling, save/load, and bad input.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dispose, KMeans, Matrix, MiniBatchKMeans, Rng } from '../../src/index.js';
import { loadFixture } from '../helpers/fixtures.js';
import { available } from '../helpers/backends.js';
import { onThreadCounts } from '../helpers/threads.js';

afterAll(async () => {
  await dispose();
});

const code = (c: string) => expect.objectContaining({ code: c });

/** Three well-separated blobs in 2-D plus noise. */
function blobs(n: number, seed: number): number[][] {
  const rng = new Rng(seed);
  const centres = [
    [0, 0],
    [6, 6],
    [-6, 5],
  ];
  return Array.from({ length: n }, (_, i) => centres[i % 3].map((c) => c + rng.normal()));
}

describe('KMeans parity with scikit-learn 1.2 (inertia, at_most rtol 1e-3)', () => {
  for (const ds of ['iris', 'wine', 'breast_cancer', 'diabetes', 'linnerud']) {
    it(ds, async () => {
      const f = loadFixture(ds, 'kmeans');
      const p = f.params as { n_clusters: number; n_init: number; random_state: number; max_iter: number; tol: number };
      for (const algorithm of ['lloyd', 'elkan'] as const) {
        const km = await new KMeans({ nClusters: p.n_clusters, nInit: p.n_init, randomState: p.random_state, maxIter: p.max_iter, tol: p.tol, algorithm }).fit(
          f.input.X,
        );
        expect(km.inertia).toBeLessThanOrEqual(f.expected.inertia_ * (1 + f.tolerance.rtol));
      }
    });
  }
});

describe('KMeans', () => {
  it('reaches a fixed point: centres are cluster means, labels the nearest centre, inertia their sum', async () => {
    const X = blobs(300, 1);
    const km = await new KMeans({ nClusters: 3, randomState: 2 }).fit(X);
    const C = km.clusterCenters;
    const labels = km.labels;
    let inertia = 0;
    for (let j = 0; j < 3; j++) {
      const rows = X.filter((_, i) => labels[i] === j);
      for (let f = 0; f < 2; f++) expect(C.get(j, f)).toBeCloseTo(rows.reduce((s, r) => s + r[f], 0) / rows.length, 9);
    }
    X.forEach((r, i) => {
      const d = [0, 1, 2].map((j) => (r[0] - C.get(j, 0)) ** 2 + (r[1] - C.get(j, 1)) ** 2);
      expect(labels[i]).toBe(d.indexOf(Math.min(...d)));
      inertia += Math.min(...d);
    });
    expect(km.inertia).toBeCloseTo(inertia, 9);
    expect(Array.from(await km.predict(X))).toEqual(Array.from(labels));
    const T = await km.transform(X);
    expect(T.rows).toBe(300);
    expect(T.cols).toBe(3);
    expect(T.get(0, labels[0]) ** 2).toBeCloseTo(Math.min(T.get(0, 0), T.get(0, 1), T.get(0, 2)) ** 2, 12);
    expect(await km.score(X)).toBeCloseTo(-inertia, 9);
    expect(new Set(labels).size).toBe(3);
  });

  it('Lloyd and Elkan reach the same centres from the same initial centres', async () => {
    const X = blobs(240, 3);
    const init = [X[0], X[1], X[2]];
    const a = await new KMeans({ nClusters: 3, init, algorithm: 'lloyd', tol: 0 }).fit(X);
    const b = await new KMeans({ nClusters: 3, init, algorithm: 'elkan', tol: 0 }).fit(X);
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    a.clusterCenters.data.forEach((v, i) => expect(b.clusterCenters.data[i]).toBeCloseTo(v, 10));
    expect(b.inertia).toBeCloseTo(a.inertia, 8);
  });

  it('every backend gives the same labels and centres (1e-9) from the same seed', async () => {
    const X = blobs(600, 4);
    const fits = await Promise.all(
      available.filter((b) => b !== 'webgpu').map((backend) => new KMeans({ nClusters: 4, randomState: 5, backend, nInit: 2 }).fit(X)),
    );
    for (const f of fits.slice(1)) {
      expect(Array.from(f.labels)).toEqual(Array.from(fits[0].labels));
      f.clusterCenters.data.forEach((v, i) => expect(v).toBeCloseTo(fits[0].clusterCenters.data[i], 9));
    }
  });

  it('an integer sample weight equals repeating the row', async () => {
    const X = blobs(90, 6);
    const w = X.map((_, i) => 1 + (i % 3));
    const rep = X.flatMap((r, i) => Array.from({ length: w[i] }, () => r));
    const init = [X[0], X[1], X[2]];
    const a = await new KMeans({ nClusters: 3, init }).fit(X, undefined, { sampleWeight: w });
    const b = await new KMeans({ nClusters: 3, init }).fit(rep);
    expect(a.inertia).toBeCloseTo(b.inertia, 8);
    a.clusterCenters.data.forEach((v, i) => expect(v).toBeCloseTo(b.clusterCenters.data[i], 9));
  });

  it("nInit 'auto' is 1 for k-means++ and 10 for random (scikit-learn 1.2)", () => {
    expect(new KMeans({ nInit: 'auto' }).effectiveNInit).toBe(1);
    expect(new KMeans({ nInit: 'auto', init: 'random' }).effectiveNInit).toBe(10);
    expect(new KMeans({ nInit: 5, nClusters: 1, init: [[1, 2]] }).effectiveNInit).toBe(1);
  });

  it('same seed, same result; fitPredict returns the labels', async () => {
    const X = blobs(150, 7);
    const a = await new KMeans({ nClusters: 3, randomState: 9, init: 'random' }).fitPredict(X);
    const b = await new KMeans({ nClusters: 3, randomState: 9, init: 'random' }).fitPredict(X);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('refuses bad input with a coded error naming the argument', async () => {
    await expect(new KMeans({ nClusters: 5 }).fit([[1], [2]])).rejects.toThrow(/nClusters = 5/);
    await expect(new KMeans({ nClusters: 5 }).fit([[1], [2]])).rejects.toThrow(code('E_PARAM'));
    await expect(new KMeans({ nClusters: 1 }).fit([[1], [NaN]])).rejects.toThrow(code('E_NONFINITE'));
    await expect(new KMeans({ nClusters: 1 }).fit([])).rejects.toThrow(code('E_EMPTY'));
    await expect(
      new KMeans({ nClusters: 2, init: [[1, 2]] }).fit([
        [1, 2],
        [3, 4],
      ]),
    ).rejects.toThrow(/init has 1 × 2 centres/);
    await expect(new KMeans().predict([[1]])).rejects.toThrow(code('E_NOT_FITTED'));
    const km = await new KMeans({ nClusters: 1 }).fit([[1, 2]]);
    await expect(km.predict([[1]])).rejects.toThrow(code('E_SHAPE'));
    expect(() => new KMeans({ nClusters: 0 })).toThrow(/nClusters/);
    expect(() => new KMeans({ algorithm: 'full' as never })).toThrow(/algorithm/);
    await expect(new KMeans({ nClusters: 1 }).fit([[1], [2]], undefined, { sampleWeight: [1] })).rejects.toThrow(code('E_SHAPE'));
  });
});

// The native assignment adds per-block partial sums in block order: the blocks are fixed by the
// shape, so the centres must not depend on the thread count (they did when the threads set it).
describe.runIf(available.includes('native'))('KMeans and MiniBatchKMeans on any thread count', () => {
  it('give the same centres, bit for bit, on one thread and two', async () => {
    const rng = new Rng(31),
      n = 20_000,
      d = 24;
    const X = new Matrix(
      Float64Array.from({ length: n * d }, () => rng.normal()),
      n,
      d,
    );
    const fits = async () => [
      Array.from((await new KMeans({ nClusters: 8, randomState: 1, backend: 'native' }).fit(X)).clusterCenters.data),
      Array.from((await new MiniBatchKMeans({ nClusters: 8, randomState: 1, backend: 'native' }).fit(X)).clusterCenters.data),
    ];
    const [one, two] = await onThreadCounts(fits);
    expect(two[0]).toEqual(one[0]);
    expect(two[1]).toEqual(one[1]);
  });
});

describe('MiniBatchKMeans', () => {
  it('finds the blobs (inertia within 5% of full k-means) and is deterministic', async () => {
    const X = blobs(3000, 8);
    const full = await new KMeans({ nClusters: 3, randomState: 0 }).fit(X);
    const mb = await new MiniBatchKMeans({ nClusters: 3, batchSize: 256, randomState: 0 }).fit(X);
    expect(mb.inertia).toBeLessThan(full.inertia * 1.05);
    expect(mb.nSteps).toBeGreaterThan(1);
    const again = await new MiniBatchKMeans({ nClusters: 3, batchSize: 256, randomState: 0 }).fit(X);
    expect(Array.from(again.clusterCenters.data)).toEqual(Array.from(mb.clusterCenters.data));
  });

  it('partialFit: each centre is the running mean of the rows it received', async () => {
    const X = blobs(300, 10);
    const init = [X[0], X[1], X[2]];
    const mb = new MiniBatchKMeans({ nClusters: 3, init, reassignmentRatio: 0 });
    const sums = init.map((r) => r.map(() => 0));
    const counts = [0, 0, 0];
    for (let b = 0; b < 3; b++) {
      const batch = X.slice(b * 100, b * 100 + 100);
      const before = b === 0 ? new Matrix(Float64Array.from(init.flat()), 3, 2) : mb.clusterCenters;
      await mb.partialFit(batch);
      batch.forEach((r) => {
        const d = [0, 1, 2].map((j) => (r[0] - before.get(j, 0)) ** 2 + (r[1] - before.get(j, 1)) ** 2);
        const j = d.indexOf(Math.min(...d));
        counts[j]++;
        sums[j][0] += r[0];
        sums[j][1] += r[1];
      });
    }
    expect(Array.from(mb.counts)).toEqual(counts);
    expect(mb.nSteps).toBe(3);
    for (let j = 0; j < 3; j++) for (let f = 0; f < 2; f++) expect(mb.clusterCenters.get(j, f)).toBeCloseTo(sums[j][f] / counts[j], 9);
    await expect(mb.partialFit([[1, 2, 3]])).rejects.toThrow(code('E_SHAPE'));
  });

  it('refuses too few rows', async () => {
    await expect(new MiniBatchKMeans({ nClusters: 4 }).fit([[1], [2]])).rejects.toThrow(code('E_PARAM'));
  });
});
