/**
 * PCA against scikit-learn 1.2 (test/fixtures/sklearn/*.pca_n2.json, *.pca_var095.json:
 * svd_solver 'full'), up to the sign of each component as the fixture README says, on every
 * CPU backend (the fixtures are f64; f64 input takes the f64 Gram on native or js). The
 * randomized solver is checked against the same fixtures with a tolerance for its
 * approximation.
 */
import { describe, expect, it } from 'vitest';
import { PCA } from '../../src/index.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';
import { hasNative } from '../helpers/backends.js';
import { flipCols, flipRows, rowSigns } from './parity-helpers.js';

const datasets = ['iris', 'wine', 'breast_cancer', 'diabetes', 'linnerud'];
const backends = ['js', ...(hasNative ? ['native' as const] : [])] as const;

describe.each(backends)('PCA parity on %s', (backend) => {
  it.each(datasets.flatMap((d) => ['pca_n2', 'pca_var095'].map((op) => [d, op])))('%s.%s', async (dataset, op) => {
    const f = loadFixture(dataset, op);
    const pca = new PCA({ nComponents: f.params.n_components as number, whiten: f.params.whiten as boolean, svdSolver: 'full', backend });
    const fitted = await pca.fitTransform(f.input.X);
    const p = f.input.X[0].length;
    const comps = pca.components;
    const signs = rowSigns(comps.data, f.expected.components_, p);
    expect(pca.nComponentsFitted).toBe(f.expected.n_components_);
    expectParity(f, 'components_', flipRows(comps.data, p, signs), p);
    expectParity(f, 'explained_variance_', pca.explainedVariance);
    expectParity(f, 'explained_variance_ratio_', pca.explainedVarianceRatio);
    expectParity(f, 'singular_values_', pca.singularValues);
    expectParity(f, 'mean_', pca.mean);
    expectParity(f, 'noise_variance_', [pca.noiseVariance]);
    const nc = pca.nComponentsFitted;
    expectParity(f, 'transform', flipCols(fitted.data, nc, signs), nc);
    expectParity(f, 'transform_test', flipCols((await pca.transform(f.input.X_test)).data, nc, signs), nc);
    // scikit-learn's svd_flip is ported, so the signs match without flipping too
    expect(signs.every((s) => s === 1)).toBe(true);
  });
});

describe('PCA randomized solver on the fixtures', () => {
  it.each(datasets)('%s: close to the exact answer (iteratedPower 7)', async (dataset) => {
    const f = loadFixture(dataset, 'pca_n2');
    const pca = new PCA({ nComponents: 2, svdSolver: 'randomized', iteratedPower: 7 });
    await pca.fit(f.input.X);
    const want: number[] = f.expected.explained_variance_;
    pca.explainedVariance.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-6 * want[0]));
    const p = f.input.X[0].length;
    const got = pca.components.data;
    f.expected.components_.forEach((row: number[], k: number) => {
      const dot = row.reduce((a, v, c) => a + v * got[k * p + c], 0);
      expect(Math.abs(dot)).toBeGreaterThan(1 - 1e-6);
    });
    expect(pca.noiseVariance).toBeCloseTo(f.expected.noise_variance_, 6);
  });
});
