/**
 * GaussianMixture against scikit-learn 1.2 from the same initialisation (means, weights and
 * precisions given): gmm_blobs.gaussian_mixture_<type>.json for every covariance type (within
 * 1e-6); then initialisations, sampling and bad input.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { adjustedRandScore, dispose, GaussianMixture, getBackend, setBackend } from '../../src/index.js';
import { hasNative } from '../helpers/backends.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';

afterAll(async () => {
  await dispose();
});

const code = (c: string) => expect.objectContaining({ code: c });
const TYPES = ['full', 'tied', 'diag', 'spherical'] as const;

describe('GaussianMixture parity with scikit-learn (same initialisation)', () => {
  for (const type of TYPES) {
    it(type, async () => {
      const f = loadFixture('gmm_blobs', `gaussian_mixture_${type}`);
      const { X, X_query, means_init, weights_init, precisions_init } = f.input;
      const init = {
        nComponents: 3,
        covarianceType: type,
        tol: 1e-8,
        maxIter: 500,
        regCovar: 1e-6,
        meansInit: means_init,
        weightsInit: weights_init,
        precisionsInit: precisions_init,
      };
      const gm = await new GaussianMixture(init).fit(X);
      expectParity(f, 'weights_', gm.weights);
      expectParity(f, 'means_', gm.means.data, 3);
      expectParity(f, 'covariances_', gm.covariances);
      expectParity(f, 'precisions_', gm.precisions);
      expectParity(f, 'lower_bound_', [gm.lowerBound]);
      expectParity(f, 'n_iter_', [gm.nIter]);
      expectParity(f, 'converged_', [gm.converged]);
      expectParity(f, 'score', [await gm.score(X)]);
      expectParity(f, 'bic', [await gm.bic(X)]);
      expectParity(f, 'aic', [await gm.aic(X)]);
      expectParity(f, 'score_samples_query', await gm.scoreSamples(X_query));
      expectParity(f, 'predict_proba_query', (await gm.predictProba(X_query)).data, 3);
      expectParity(f, 'predict', await gm.predict(X));
      const gm5 = await new GaussianMixture({ ...init, maxIter: 5 }).fit(X);
      expectParity(f, 'max_iter_5_lower_bound_', [gm5.lowerBound]);
      expectParity(f, 'max_iter_5_means_', gm5.means.data, 3);
      expectParity(f, 'max_iter_5_converged_', [gm5.converged]);
      expect(gm5.nIter).toBe(5);
    });
  }
});

// The EM products run on dgemm: native's blocked kernel and the js oracle sum in different
// orders, so the same fit agrees to rounding (lower bound 1e-12, means and covariances 1e-9).
describe.runIf(hasNative)('GaussianMixture on the native and js dgemm', () => {
  for (const type of TYPES) {
    it(type, async () => {
      const f = loadFixture('gmm_blobs', `gaussian_mixture_${type}`);
      const { X, means_init, weights_init, precisions_init } = f.input;
      const init = {
        nComponents: 3,
        covarianceType: type,
        tol: 1e-8,
        maxIter: 50,
        meansInit: means_init,
        weightsInit: weights_init,
        precisionsInit: precisions_init,
      };
      const before = getBackend();
      const fits: GaussianMixture[] = [];
      try {
        for (const b of ['native', 'js'] as const) {
          setBackend(b);
          fits.push(await new GaussianMixture(init).fit(X));
        }
      } finally {
        setBackend(before);
      }
      const [nat, js] = fits;
      expect(nat.nIter).toBe(js.nIter);
      expect(Math.abs(nat.lowerBound - js.lowerBound)).toBeLessThan(1e-12);
      nat.means.data.forEach((v, i) => expect(Math.abs(v - js.means.data[i])).toBeLessThan(1e-9));
      nat.covariances.forEach((v, i) => expect(Math.abs(v - js.covariances[i])).toBeLessThan(1e-9));
    });
  }
});

describe('GaussianMixture', () => {
  const f = loadFixture('gmm_blobs', 'gaussian_mixture_full');
  const X: number[][] = f.input.X;
  const truth = Int32Array.from({ length: X.length }, (_, i) => (i < 100 ? 0 : i < 180 ? 1 : 2));

  it('from KMeans or random responsibilities: finds the blobs, lower bound near the given-init optimum', async () => {
    for (const type of TYPES) {
      const gm = await new GaussianMixture({ nComponents: 3, covarianceType: type, randomState: 0 }).fit(X);
      expect(adjustedRandScore(truth, await gm.predict(X))).toBeGreaterThan(0.9);
      const ref = loadFixture('gmm_blobs', `gaussian_mixture_${type}`).expected.lower_bound_;
      expect(Math.abs(gm.lowerBound - ref)).toBeLessThan(1e-2);
      expect(gm.converged).toBe(true);
    }
    const rnd = await new GaussianMixture({ nComponents: 3, initParams: 'random', nInit: 3, maxIter: 300, randomState: 1 }).fit(X);
    expect(adjustedRandScore(truth, await rnd.predict(X))).toBeGreaterThan(0.9);
  });

  it('probabilities sum to 1; sample draws from the components; same seed, same sample', async () => {
    const gm = await new GaussianMixture({ nComponents: 3, covarianceType: 'full', randomState: 0 }).fit(X);
    const pr = await gm.predictProba(X.slice(0, 5));
    for (let i = 0; i < 5; i++) expect(pr.data[i * 3] + pr.data[i * 3 + 1] + pr.data[i * 3 + 2]).toBeCloseTo(1, 12);
    const { X: S, y } = gm.sample(3000);
    expect(S.rows).toBe(3000);
    const w = gm.weights;
    for (let c = 0; c < 3; c++) expect(Math.abs(y.filter((v) => v === c).length / 3000 - w[c])).toBeLessThan(0.04);
    // the sample's mean per component is near the component's mean
    const m = gm.means;
    for (let c = 0; c < 3; c++) {
      const rows = Array.from(y.keys()).filter((i) => y[i] === c);
      for (let j = 0; j < 3; j++) {
        const mu = rows.reduce((s, i) => s + S.data[i * 3 + j], 0) / rows.length;
        expect(Math.abs(mu - m.data[c * 3 + j])).toBeLessThan(0.2);
      }
    }
    expect(Array.from(gm.sample(10).X.data)).toEqual(Array.from(gm.sample(10).X.data));
    for (const type of ['tied', 'diag', 'spherical'] as const) {
      const g = await new GaussianMixture({ nComponents: 2, covarianceType: type }).fit(X);
      expect(g.sample(7).X.rows).toBe(7);
    }
  });

  it('refuses bad input', async () => {
    expect(() => new GaussianMixture({ covarianceType: 'banana' as never })).toThrow(code('E_PARAM'));
    expect(() => new GaussianMixture({ weightsInit: [0.5, 0.6] })).toThrow(code('E_PARAM'));
    expect(() => new GaussianMixture({ regCovar: -1 })).toThrow(code('E_PARAM'));
    await expect(new GaussianMixture({ nComponents: 5 }).fit([[1], [2], [3]])).rejects.toThrow(/nComponents/);
    await expect(new GaussianMixture().fit([[NaN], [1]])).rejects.toThrow(code('E_NONFINITE'));
    await expect(
      new GaussianMixture({ nComponents: 2, meansInit: [[1, 2]] }).fit([
        [1, 2],
        [3, 4],
        [5, 7],
      ]),
    ).rejects.toThrow(code('E_SHAPE'));
    await expect(new GaussianMixture({ nComponents: 2, covarianceType: 'spherical', precisionsInit: [1] }).fit([[1], [2], [3]])).rejects.toThrow(
      code('E_SHAPE'),
    );
    await expect(
      new GaussianMixture({
        nComponents: 1,
        covarianceType: 'tied',
        precisionsInit: [
          [1, 2],
          [2, 1],
        ],
      }).fit([
        [1, 2],
        [3, 4],
        [5, 7],
      ]),
    ).rejects.toThrow(/positive definite/);
    // collapsed data with no regularisation: ill-defined covariance
    await expect(
      new GaussianMixture({ regCovar: 0 }).fit([
        [1, 1],
        [1, 1],
        [1, 1],
      ]),
    ).rejects.toThrow(/regCovar/);
    await expect(new GaussianMixture().predict([[1]])).rejects.toThrow(code('E_NOT_FITTED'));
    const gm = await new GaussianMixture().fit([
      [1, 2],
      [3, 4],
      [5, 7],
    ]);
    await expect(gm.predict([[1]])).rejects.toThrow(code('E_SHAPE'));
    expect(() => gm.sample(0)).toThrow(code('E_PARAM'));
  });
});
