/**
 * MinCovDet and EllipticEnvelope against scikit-learn 1.2 (mcd_blobs.min_cov_det.json: FastMCD
 * converges to the same support from every start on this data, so estimates agree to 1e-8 and
 * supports exactly), FastMCD's large-n and 1-d paths, and bad input.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dispose, EllipticEnvelope, MinCovDet, Rng } from '../../src/index.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';

afterAll(async () => {
  await dispose();
});

const code = (c: string) => expect.objectContaining({ code: c });
const bools = (a: Uint8Array) => Array.from(a, (v) => v === 1);

describe('MinCovDet / EllipticEnvelope parity with scikit-learn', () => {
  const f = loadFixture('mcd_blobs', 'min_cov_det');
  const { X, X_query } = f.input;

  it('MinCovDet: raw and reweighted estimates, supports, distances', async () => {
    const mcd = await new MinCovDet({ randomState: 0 }).fit(X);
    expect(bools(mcd.rawSupport)).toEqual(f.expected.raw_support_);
    expect(bools(mcd.support)).toEqual(f.expected.support_);
    expectParity(f, 'raw_location_', mcd.rawLocation);
    expectParity(f, 'raw_covariance_', mcd.rawCovariance.data, 3);
    expectParity(f, 'location_', mcd.location);
    expectParity(f, 'covariance_', mcd.covariance.data, 3);
    expectParity(f, 'dist_', mcd.dist);
    expectParity(f, 'mahalanobis_query', await mcd.mahalanobis(X_query));
    const m75 = await new MinCovDet({ supportFraction: 0.75, randomState: 5 }).fit(X);
    expect(bools(m75.support)).toEqual(f.expected.support_sf075);
    expectParity(f, 'location_sf075', m75.location);
    expectParity(f, 'covariance_sf075', m75.covariance.data, 3);
  });

  it('EllipticEnvelope: offset, decision function, scores, predictions', async () => {
    const ee = await new EllipticEnvelope({ contamination: 0.1, randomState: 0 }).fit(X);
    expectParity(f, 'ee_offset_', [ee.offset]);
    expectParity(f, 'ee_location_', ee.location);
    expectParity(f, 'ee_covariance_', ee.covariance.data, 3);
    expectParity(f, 'ee_decision_function_query', await ee.decisionFunction(X_query));
    expectParity(f, 'ee_score_samples_query', await ee.scoreSamples(X_query));
    expectParity(f, 'ee_predict', await ee.predict(X));
    expectParity(f, 'ee_predict', await new EllipticEnvelope({ randomState: 0 }).fitPredict(X));
  });
});

describe('MinCovDet', () => {
  it('large n (subsets pooled) and 1-d: the planted outliers are left out of the support', async () => {
    const rng = new Rng(4);
    const X = Array.from({ length: 700 }, (_, i) => (i < 630 ? [rng.normal(), rng.normal() * 2] : [8 + rng.normal() * 0.3, -9 + rng.normal() * 0.3]));
    const mcd = await new MinCovDet({ randomState: 0 }).fit(X);
    expect(mcd.rawSupport.subarray(630).every((v) => v === 0)).toBe(true);
    expect(Math.abs(mcd.location[0])).toBeLessThan(0.2);
    expect(Math.abs(mcd.covariance.data[3] - 4)).toBeLessThan(0.8);
    const one = await new MinCovDet().fit([[1], [2], [3], [2.5], [1.5], [100]]);
    expect(one.rawSupport[5]).toBe(0);
    expect(one.support[5]).toBe(0);
    expect(one.location[0]).toBeCloseTo(2, 12);
  });

  it('refuses bad input', async () => {
    expect(() => new MinCovDet({ supportFraction: 0 })).toThrow(code('E_PARAM'));
    expect(() => new EllipticEnvelope({ contamination: 0.7 })).toThrow(/contamination/);
    await expect(new MinCovDet().fit([[1, 2]])).rejects.toThrow(code('E_PARAM'));
    await expect(
      new MinCovDet().fit([
        [NaN, 1],
        [1, 2],
      ]),
    ).rejects.toThrow(code('E_NONFINITE'));
    await expect(
      new MinCovDet().fit([
        [1, 1],
        [1, 1],
        [1, 1],
        [1, 1],
        [2, 3],
      ]),
    ).rejects.toThrow(/supportFraction/);
    await expect(new EllipticEnvelope().predict([[1]])).rejects.toThrow(code('E_NOT_FITTED'));
    const m = await new MinCovDet().fit([
      [1, 2],
      [2, 1],
      [3, 5],
      [4, 4],
      [0, 1],
    ]);
    await expect(m.mahalanobis([[1]])).rejects.toThrow(code('E_SHAPE'));
  });
});
