/**
 * Clustering metrics against scikit-learn 1.2 (test/fixtures-scripts/gen_cluster.py:
 * <dataset>.cluster_metrics.json), closed forms on tiny inputs, and bad input.
 */
import { describe, expect, it } from 'vitest';
import {
  adjustedRandScore,
  calinskiHarabaszScore,
  daviesBouldinScore,
  homogeneityCompletenessVMeasure,
  normalizedMutualInfoScore,
  silhouetteSamples,
  silhouetteScore,
} from '../../src/index.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('cluster metrics: scikit-learn parity', () => {
  for (const ds of ['iris', 'wine', 'breast_cancer']) {
    it(ds, async () => {
      const f = loadFixture(ds, 'cluster_metrics');
      const { X, labels_true: yt, labels_pred: yp } = f.input;
      expectParity(f, 'silhouette_samples', await silhouetteSamples(X, yp));
      expectParity(f, 'silhouette_samples_true', await silhouetteSamples(X, yt));
      expectParity(f, 'silhouette_score', [await silhouetteScore(X, yp)]);
      expectParity(f, 'davies_bouldin_score', [daviesBouldinScore(X, yp)]);
      expectParity(f, 'calinski_harabasz_score', [calinskiHarabaszScore(X, yp)]);
      expectParity(f, 'adjusted_rand_score', [adjustedRandScore(yt, yp)]);
      expectParity(f, 'normalized_mutual_info_score', [normalizedMutualInfoScore(yt, yp)]);
      expectParity(f, 'normalized_mutual_info_score_geometric', [normalizedMutualInfoScore(yt, yp, { averageMethod: 'geometric' })]);
      const h = homogeneityCompletenessVMeasure(yt, yp);
      expectParity(f, 'homogeneity', [h.homogeneity]);
      expectParity(f, 'completeness', [h.completeness]);
      expectParity(f, 'v_measure', [h.vMeasure]);
    });
  }
});

describe('cluster metrics: closed forms and edge cases', () => {
  it('identical partitions up to renaming score 1; label kinds may differ', () => {
    expect(adjustedRandScore([0, 0, 1, 1], ['b', 'b', 'a', 'a'])).toBe(1);
    expect(normalizedMutualInfoScore([0, 0, 1, 1], [5, 5, 2, 2])).toBeCloseTo(1, 12);
    expect(homogeneityCompletenessVMeasure([0, 0, 1, 1], [1, 1, 0, 0]).vMeasure).toBeCloseTo(1, 12);
  });

  it('ARI of a known split: [0,0,1,1] vs [0,0,1,2] = 4/7 · ... (scikit-learn 0.5714285714285714)', () => {
    expect(adjustedRandScore([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714285714, 12);
    expect(adjustedRandScore([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
  });

  it('homogeneity and completeness of a refining clustering (every cluster pure)', () => {
    const h = homogeneityCompletenessVMeasure([0, 0, 1, 1], [0, 1, 2, 3]);
    expect(h.homogeneity).toBeCloseTo(1, 12);
    expect(h.completeness).toBeCloseTo(0.5, 12);
  });

  it('silhouette: two tight pairs far apart are close to 1; a singleton scores 0', async () => {
    const X = [[0], [0.1], [10], [10.1], [20]];
    const s = await silhouetteSamples(X, [0, 0, 1, 1, 2]);
    expect(s[4]).toBe(0);
    expect(s[0]).toBeCloseTo(1 - 0.1 / 10.05, 12);
    expect(await silhouetteScore(X, [0, 0, 1, 1, 2], { sampleSize: 5 })).toBeCloseTo(Array.from(s).reduce((a, b) => a + b) / 5, 12);
  });

  it('Calinski-Harabasz and Davies-Bouldin by hand', () => {
    const X = [[0], [2], [10], [12]];
    // centroids 1 and 11, mean 6: between = 2·25·2 = 100, within = 4: 100·(4−2)/(4·1) = 50
    expect(calinskiHarabaszScore(X, [0, 0, 1, 1])).toBeCloseTo(50, 12);
    // S = 1 for both, centroid distance 10: (1 + 1) / 10
    expect(daviesBouldinScore(X, [0, 0, 1, 1])).toBeCloseTo(0.2, 12);
  });

  it('refuses bad input with coded errors', async () => {
    await expect(silhouetteScore([[1], [2], [3]], [0, 0, 0])).rejects.toThrow(code('E_PARAM'));
    await expect(silhouetteScore([[1], [2], [3]], [0, 1, 2])).rejects.toThrow(/between 2 and rows − 1/);
    await expect(silhouetteScore([[1], [NaN], [3]], [0, 1, 1])).rejects.toThrow(code('E_NONFINITE'));
    expect(() => daviesBouldinScore([[1], [2]], [0, 1, 1])).toThrow(code('E_LENGTH'));
    expect(() => adjustedRandScore([], [])).toThrow(code('E_EMPTY'));
    expect(() => normalizedMutualInfoScore([0, 1], [0, 1], { averageMethod: 'mean' as never })).toThrow(/averageMethod/);
    expect(() => calinskiHarabaszScore([[1], [2], [3]], [0, 1, 2])).toThrow(code('E_PARAM'));
  });
});
