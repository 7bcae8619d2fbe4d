import { describe, expect, it } from 'vitest';
import { KNeighborsClassifier, KNeighborsRegressor, KNNImputer, Matrix, NearestNeighbors, Rng } from '../../src/index.js';
import { bruteForce } from '../../src/backend/js/knn.js';
import { rowNorms64 } from '../../src/backend/knn/exact-order.js';
import type { KnnMetric } from '../../src/backend/backend.js';
import { available } from '../helpers/backends.js';

const code = (c: string) => expect.objectContaining({ code: c });

/** Points on a coarse grid: many exact ties, duplicates included. */
function gridPoints(rng: Rng, rows: number, cols: number): Matrix<Float64Array> {
  const d = new Float64Array(rows * cols);
  for (let i = 0; i < d.length; i++) d[i] = Math.round(rng.random() * 8) / 2 - 2;
  return new Matrix(d, rows, cols);
}

const METRICS: [string, KnnMetric][] = [
  ['euclidean', 'euclidean'],
  ['sqeuclidean', 'sqeuclidean'],
  ['cosine', 'cosine'],
  ['inner_product', 'inner_product'],
  ['manhattan', 'manhattan'],
];

describe.each(available)('NearestNeighbors on %s', (backend) => {
  it.each(METRICS)('%s: identical to exact brute force, ties to the smaller index', async (metric, kernel) => {
    if (backend === 'webgpu' && metric === 'manhattan') return; // no WGSL manhattan: covered by the error test below
    const rng = new Rng(metric.length * 31 + backend.length);
    const X = gridPoints(rng, 900, 19),
      Q = gridPoints(rng, 70, 19);
    const nn = await new NearestNeighbors({ nNeighbors: 9, metric: metric as any, backend }).fit(X);
    const got = await nn.kneighbors(Q);
    const want = bruteForce(
      {
        metric: kernel,
        base: X.data,
        n: 900,
        d: 19,
        baseNorms: rowNorms64(X.data, 900, 19),
        queries: Q.data,
        queryNorms: rowNorms64(Q.data, 70, 19),
        k: 9,
        excludeSelf: false,
      },
      70,
    );
    expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
    for (let i = 0; i < want.distances.length; i++) expect(got.distances.data[i]).toBeCloseTo(want.distances[i], 12);
    // without X: neighbours of the training points, never themselves
    const self = await nn.kneighbors();
    for (let i = 0; i < 900; i++) for (let t = 0; t < 9; t++) expect(self.indices[i * 9 + t]).not.toBe(i);
  });

  it('finds exact duplicates at distance 0, first by index', async () => {
    const X = [
      [1, 1],
      [0, 0],
      [1, 1],
      [5, 5],
      [1, 1],
    ];
    const nb = await (await new NearestNeighbors({ nNeighbors: 3, backend }).fit(X)).kneighbors([[1, 1]]);
    expect(Array.from(nb.indices)).toEqual([0, 2, 4]);
    expect(Array.from(nb.distances.data)).toEqual([0, 0, 0]);
  });

  it('searches a base larger than the memory budget in chunks with the same result', async () => {
    const rng = new Rng(12);
    const X = gridPoints(rng, 6000, 48),
      Q = gridPoints(rng, 40, 48); // ~1.1 MiB packed > 1 MiB budget
    const small = await (await new NearestNeighbors({ nNeighbors: 6, backend, memoryBudget: 1 << 20 }).fit(X)).kneighbors(Q);
    const big = await (await new NearestNeighbors({ nNeighbors: 6, backend }).fit(X)).kneighbors(Q);
    expect(Array.from(small.indices)).toEqual(Array.from(big.indices));
    expect(Array.from(small.distances.data)).toEqual(Array.from(big.distances.data));
  });

  it('rejects k out of range, NaN queries and shape mismatches', async () => {
    const nn = await new NearestNeighbors({ nNeighbors: 2, backend }).fit([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    await expect(nn.kneighbors([[0, 0]], { nNeighbors: 4 })).rejects.toThrowError(code('E_PARAM'));
    await expect(nn.kneighbors(undefined, { nNeighbors: 3 })).rejects.toThrow(/only 2 fitted point\(s\)/);
    await expect(nn.kneighbors([[0, 0]], { nNeighbors: 0 })).rejects.toThrowError(code('E_PARAM'));
    await expect(nn.kneighbors([[0, NaN]])).rejects.toThrowError(code('E_NONFINITE'));
    await expect(nn.kneighbors([[0, 0, 0]])).rejects.toThrowError(code('E_SHAPE'));
    await expect(new NearestNeighbors({ backend }).fit([[Infinity]])).rejects.toThrowError(code('E_NONFINITE'));
    await expect(new NearestNeighbors({ backend }).fit([])).rejects.toThrowError(code('E_EMPTY'));
  });
});

describe('NearestNeighbors', () => {
  it('radiusNeighbors returns every point within the radius, sorted', async () => {
    const nn = await new NearestNeighbors({ radius: 1.5 }).fit([[0], [1], [2], [3], [10]]);
    const r = await nn.radiusNeighbors([[1.2]]);
    expect(Array.from(r.indices[0])).toEqual([1, 2, 0]);
    expect(r.distances[0][0]).toBeCloseTo(0.2, 12);
    const self = await nn.radiusNeighbors(undefined, { radius: 1 });
    expect(Array.from(self.indices[4])).toEqual([]);
    expect(Array.from(self.indices[1])).toEqual([0, 2]);
  });

  it('follows the estimator contract: params, clone, not fitted, bad params', async () => {
    const nn = new NearestNeighbors({ nNeighbors: 3 });
    expect(nn.getParams()).toMatchObject({ nNeighbors: 3, metric: 'minkowski', p: 2, radius: 1 });
    expect(nn.setParams({ nNeighbors: 4 }).getParams().nNeighbors).toBe(4);
    expect(nn.clone().getParams()).toEqual(nn.getParams());
    await expect(nn.kneighbors([[1]])).rejects.toThrowError(code('E_NOT_FITTED'));
    expect(() => new NearestNeighbors({ nNeighbors: 0 })).toThrowError(code('E_PARAM'));
    expect(() => new NearestNeighbors({ metric: 'chebyshev' as any })).toThrowError(code('E_PARAM'));
    expect(() => new NearestNeighbors({ p: 3 })).toThrow(/p = 1 \(manhattan\) and p = 2/);
    expect(() => new NearestNeighbors({ neighbours: 3 } as any)).toThrow(/unknown parameter 'neighbours'/);
    expect(() => new NearestNeighbors({ memoryBudget: 1000 })).toThrowError(code('E_PARAM'));
  });

  it.runIf(available.includes('webgpu'))('webgpu has no manhattan kernel: a clear error', async () => {
    await expect(new NearestNeighbors({ metric: 'manhattan', backend: 'webgpu' }).fit([[1], [2]])).rejects.toThrowError(code('E_BACKEND_LIMIT'));
  });
});

describe('KNeighborsClassifier', () => {
  it('votes, weights by distance, keeps string labels, and scores', async () => {
    const X = [[0], [1], [2], [10], [11], [12]];
    const y = ['b', 'b', 'b', 'a', 'a', 'a'];
    const clf = await new KNeighborsClassifier({ nNeighbors: 3 }).fit(X, y);
    expect(clf.classes).toEqual(['a', 'b']);
    expect(await clf.predict([[1.2], [10.5]])).toEqual(['b', 'a']);
    expect((await clf.predictProba([[6]])).toArray()).toEqual([[1 / 3, 2 / 3]]);
    expect(await clf.score([[0], [12]], ['b', 'a'])).toBe(1);
    // distance weights: a point on top of a training point takes its label outright
    const w = await new KNeighborsClassifier({ nNeighbors: 5, weights: 'distance' }).fit(X, y);
    expect((await w.predictProba([[10]])).toArray()).toEqual([[1, 0]]);
    const p = (await w.predictProba([[5]])).data; // 1/3+1/4+1/5 for b, 1/5+1/6 for a
    expect(p[1]).toBeCloseTo((1 / 3 + 1 / 4 + 1 / 5) / (1 / 3 + 1 / 4 + 1 / 5 + 1 / 5 + 1 / 6), 12);
  });

  it('breaks vote ties towards the smallest class', async () => {
    const clf = await new KNeighborsClassifier({ nNeighbors: 2 }).fit([[0], [2]], [7, 3]);
    expect(await clf.predict([[1]])).toEqual([3]);
  });

  it('rejects mismatched or bad labels', async () => {
    await expect(new KNeighborsClassifier().fit([[0], [1]], [1])).rejects.toThrowError(code('E_SHAPE'));
    await expect(new KNeighborsClassifier().fit([[0], [1]], [1, 'a'] as any)).rejects.toThrowError(code('E_DTYPE'));
    await expect(new KNeighborsClassifier().fit([[0]], [NaN])).rejects.toThrowError(code('E_NONFINITE'));
    expect(() => new KNeighborsClassifier({ weights: 'gaussian' as any })).toThrowError(code('E_PARAM'));
  });
});

describe('KNeighborsRegressor', () => {
  it('averages neighbour targets, single and multi-output, uniform and distance-weighted', async () => {
    const X = [[0], [1], [2], [3]];
    const reg = await new KNeighborsRegressor({ nNeighbors: 2 }).fit(X, [0, 10, 20, 30]);
    expect(Array.from((await reg.predict([[0.4], [2.6]])) as Float64Array)).toEqual([5, 25]);
    const multi = await new KNeighborsRegressor({ nNeighbors: 2 }).fit(X, [
      [0, 1],
      [10, 1],
      [20, 2],
      [30, 2],
    ]);
    expect(((await multi.predict([[0.4]])) as Matrix).toArray()).toEqual([[5, 1]]);
    const w = await new KNeighborsRegressor({ nNeighbors: 2, weights: 'distance' }).fit(X, [0, 10, 20, 30]);
    expect(((await w.predict([[0.25]])) as Float64Array)[0]).toBeCloseTo((0 / 0.25 + 10 / 0.75) / (1 / 0.25 + 1 / 0.75), 12);
    // each prediction is 5 off (itself and a neighbour 10 away; ties to the smaller index): R² = 1 − 100/500
    expect(await reg.score(X, [0, 10, 20, 30])).toBeCloseTo(0.8, 12);
  });
});

describe('KNNImputer', () => {
  it('fills from the nearest rows that have the value; the column mean when none shares a coordinate', async () => {
    const X = [
      [1, 2, NaN],
      [3, 4, 3],
      [NaN, 6, 5],
      [8, 8, 7],
    ];
    const imp = new KNNImputer({ nNeighbors: 2 });
    const out = (await imp.fitTransform(X)).toArray();
    // row 0: donors for col 2 are rows 1 (d = sqrt(3/2 · 8)) and 2 (d = sqrt(3 · 16)) → mean(3, 5)
    expect(out[0][2]).toBe(4);
    expect(out[2][0]).toBe((3 + 8) / 2);
    expect((await imp.transform([[NaN, NaN, NaN]])).toArray()).toEqual([[4, 5, 5]]);
  });

  it('drops columns never observed at fit, unless asked to keep them', async () => {
    const X = [
      [1, NaN],
      [2, NaN],
    ];
    expect((await new KNNImputer().fitTransform(X)).cols).toBe(1);
    expect((await new KNNImputer({ keepEmptyFeatures: true }).fitTransform(X)).toArray()).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it('rejects infinities and shape mismatches', async () => {
    await expect(new KNNImputer().fit([[Infinity]])).rejects.toThrowError(code('E_NONFINITE'));
    const imp = await new KNNImputer().fit([[1, 2]]);
    await expect(imp.transform([[1]])).rejects.toThrowError(code('E_SHAPE'));
  });
});
