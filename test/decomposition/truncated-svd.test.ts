/**
 * TruncatedSVD against scikit-learn 1.2 (test/fixtures/sklearn/*.truncated_svd.json, made with
 * algorithm 'arpack', i.e. the exact SVD): 'exact' on the fixtures within their tolerances,
 * 'randomized' with enough iterations close to it; CSR input equal to the dense answer; bad input.
 */
import { describe, expect, it } from 'vitest';
import { CsrMatrix, Matrix, TruncatedSVD } from '../../src/index.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';
import { hasNative } from '../helpers/backends.js';
import { flipCols, flipRows, rowSigns } from './parity-helpers.js';

const code = (c: string) => expect.objectContaining({ code: c });
const datasets = ['iris', 'wine', 'breast_cancer', 'diabetes', 'linnerud'];
const backends = ['js', ...(hasNative ? ['native' as const] : [])] as const;

function toCsr(rows: number[][]): CsrMatrix {
  const indptr = [0],
    indices: number[] = [],
    data: number[] = [];
  for (const r of rows) {
    r.forEach((v, c) => {
      if (v !== 0) {
        indices.push(c);
        data.push(v);
      }
    });
    indptr.push(indices.length);
  }
  return new CsrMatrix(Int32Array.from(indptr), Int32Array.from(indices), Float64Array.from(data), rows.length, rows[0].length);
}

describe.each(backends)('TruncatedSVD parity on %s', (backend) => {
  it.each(datasets)('%s (exact)', async (dataset) => {
    const f = loadFixture(dataset, 'truncated_svd');
    const svd = new TruncatedSVD({ nComponents: f.params.n_components as number, algorithm: 'exact', backend });
    const Z = await svd.fitTransform(f.input.X);
    const p = f.input.X[0].length,
      nc = svd.components.rows;
    const signs = rowSigns(svd.components.data, f.expected.components_, p);
    expect(signs.every((s) => s === 1)).toBe(true); // svd_flip ported
    expectParity(f, 'components_', flipRows(svd.components.data, p, signs), p);
    expectParity(f, 'singular_values_', svd.singularValues);
    expectParity(f, 'explained_variance_', svd.explainedVariance);
    expectParity(f, 'explained_variance_ratio_', svd.explainedVarianceRatio);
    expectParity(f, 'transform', flipCols(Z.data, nc, signs), nc);
    expectParity(f, 'transform_test', flipCols((await svd.transform(f.input.X_test)).data, nc, signs), nc);
  });
});

describe('TruncatedSVD randomized and sparse', () => {
  it.each(datasets)('%s: randomized (nIter 10) matches the exact singular values to 1e-7 relative', async (dataset) => {
    const f = loadFixture(dataset, 'truncated_svd');
    const svd = await new TruncatedSVD({ nComponents: 2, nIter: 10 }).fit(f.input.X);
    const want: number[] = f.expected.singular_values_;
    svd.singularValues.forEach((s, i) => expect(Math.abs(s - want[i]) / want[i]).toBeLessThan(1e-7));
  });

  it('a CsrMatrix gives the dense answer, exact and randomized', async () => {
    const f = loadFixture('iris', 'truncated_svd');
    const X: number[][] = f.input.X.map((r: number[]) => r.map((v, c) => ((c + Math.round(v * 10)) % 3 === 0 ? 0 : v)));
    for (const algorithm of ['exact', 'randomized'] as const) {
      const dense = new TruncatedSVD({ nComponents: 3, algorithm, nIter: 8 });
      const Zd = await dense.fitTransform(X);
      const sparse = new TruncatedSVD({ nComponents: 3, algorithm, nIter: 8 });
      const Zs = await sparse.fitTransform(toCsr(X));
      sparse.singularValues.forEach((s, i) => expect(s).toBeCloseTo(dense.singularValues[i], 8));
      Zs.data.forEach((v, i) => expect(v).toBeCloseTo(Zd.data[i], 6));
      const Zt = await sparse.transform(toCsr(X.slice(0, 5)));
      Zt.data.forEach((v, i) => expect(v).toBeCloseTo(Zd.data[i], 6));
    }
  });

  it('inverseTransform with every component gives X back', async () => {
    const X = new Matrix(
      Float64Array.from({ length: 30 }, (_, i) => Math.sin(i * 1.7) * 3),
      10,
      3,
    );
    const svd = new TruncatedSVD({ nComponents: 3, algorithm: 'exact' });
    const back = await svd.inverseTransform(await svd.fitTransform(X));
    back.data.forEach((v, i) => expect(v).toBeCloseTo(X.data[i], 10));
    expect(svd.featureNamesOut()).toEqual(['truncatedsvd0', 'truncatedsvd1', 'truncatedsvd2']);
  });

  it('refuses bad input with coded errors', async () => {
    await expect(
      new TruncatedSVD({ nComponents: 4 }).fit([
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
        [1, 0, 0],
      ]),
    ).rejects.toThrow(code('E_PARAM'));
    expect(() => new TruncatedSVD({ nComponents: 0 })).toThrow(code('E_PARAM'));
    await expect(
      new TruncatedSVD({ nComponents: 1 }).fit([
        [1, Number.NaN],
        [2, 3],
      ]),
    ).rejects.toThrow(code('E_NONFINITE'));
    const bad = new CsrMatrix(Int32Array.from([0, 1, 1]), Int32Array.from([0]), Float64Array.from([Number.NaN]), 2, 2);
    await expect(new TruncatedSVD({ nComponents: 1 }).fit(bad)).rejects.toThrow(code('E_NONFINITE'));
    const svd = await new TruncatedSVD({ nComponents: 1 }).fit([
      [1, 2],
      [3, 4],
      [5, 7],
    ]);
    await expect(svd.transform([[1, 2, 3]])).rejects.toThrow(code('E_SHAPE'));
  });
});
