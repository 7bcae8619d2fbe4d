/**
 * AgglomerativeClustering against scikit-learn 1.2 (agglo_blobs.agglomerative.json): labels for
 * every linkage and metric (exactly, as scikit-learn cuts the tree; adjusted Rand 1), the full
 * tree's children and heights, the distance threshold; and bad input.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { adjustedRandScore, AgglomerativeClustering, dispose } from '../../src/index.js';
import { expectParity, loadFixture } from '../helpers/fixtures.js';

afterAll(async () => {
  await dispose();
});

const code = (c: string) => expect.objectContaining({ code: c });
const LINKAGES = ['ward', 'complete', 'average', 'single'] as const;

describe('AgglomerativeClustering parity with scikit-learn', () => {
  const f = loadFixture('agglo_blobs', 'agglomerative');
  const X: number[][] = f.input.X;
  const e = f.expected;

  for (const linkage of LINKAGES) {
    it(`${linkage}: labels, full tree heights${linkage === 'single' ? '' : ' and children'}`, async () => {
      const ag = await new AgglomerativeClustering({ nClusters: 4, linkage }).fit(X);
      expect(adjustedRandScore(e[`labels_${linkage}`], ag.labels)).toBe(1);
      expect(Array.from(ag.labels)).toEqual(e[`labels_${linkage}`]);
      const full = await new AgglomerativeClustering({ nClusters: null, distanceThreshold: 0, linkage }).fit(X);
      expectParity(f, `distances_${linkage}`, full.distances);
      // single linkage's children depend on the spanning tree's edge order (scikit-learn's own labelling): compared as merge sets below
      if (linkage !== 'single') expect(Array.from(full.children)).toEqual(e[`children_${linkage}`].flat());
      expect(full.nClustersFitted).toBe(X.length);
    });
  }

  it('single linkage: the same merges as scikit-learn (each merge joins the same sets of rows)', async () => {
    const full = await new AgglomerativeClustering({ nClusters: null, distanceThreshold: 0, linkage: 'single' }).fit(X);
    const n = X.length;
    const leaves = (children: ArrayLike<number>) => {
      const sets: string[] = [];
      const members: number[][] = [];
      for (let i = 0; i < n - 1; i++) {
        const m = [children[2 * i], children[2 * i + 1]].flatMap((c) => (c < n ? [c] : members[c - n]));
        members.push(m);
        sets.push(
          m
            .slice()
            .sort((a, b) => a - b)
            .join(),
        );
      }
      return sets;
    };
    expect(leaves(full.children)).toEqual(leaves(e.children_single.flat()));
  });

  it('manhattan and cosine metrics', async () => {
    for (const linkage of ['complete', 'average', 'single'] as const) {
      for (const metric of ['manhattan', 'cosine'] as const) {
        const ag = await new AgglomerativeClustering({ nClusters: 4, linkage, metric }).fit(X);
        expect(adjustedRandScore(e[`labels_${linkage}_${metric}`], ag.labels)).toBe(1);
      }
    }
  });

  it('distance threshold', async () => {
    const ag = await new AgglomerativeClustering({ nClusters: null, distanceThreshold: 8 }).fit(X);
    expect(ag.nClustersFitted).toBe(e.n_clusters_ward_threshold_8);
    expect(Array.from(ag.labels)).toEqual(e.labels_ward_threshold_8);
    expect(ag.distances.length).toBe(X.length - 1);
  });
});

describe('AgglomerativeClustering', () => {
  it('two rows; computeDistances; fitPredict', async () => {
    const ag = new AgglomerativeClustering({ nClusters: 2, linkage: 'average', computeDistances: true });
    expect(
      Array.from(
        await ag.fitPredict([
          [0, 0],
          [3, 4],
          [0, 1],
        ]),
      ),
    ).toEqual([0, 1, 0]);
    expect(Array.from(ag.distances)).toEqual([1, (5 + Math.sqrt(18)) / 2]);
    expect(Array.from(ag.children)).toEqual([0, 2, 1, 3]);
  });

  it('refuses bad input', async () => {
    expect(() => new AgglomerativeClustering({ linkage: 'ward', metric: 'cosine' })).toThrow(code('E_PARAM'));
    expect(() => new AgglomerativeClustering({ distanceThreshold: 1 })).toThrow(/exactly one/);
    expect(() => new AgglomerativeClustering({ nClusters: null })).toThrow(code('E_PARAM'));
    expect(() => new AgglomerativeClustering({ linkage: 'median' as never })).toThrow(code('E_PARAM'));
    await expect(new AgglomerativeClustering({ nClusters: 5 }).fit([[1], [2], [3]])).rejects.toThrow(/nClusters/);
    await expect(new AgglomerativeClustering().fit([[1]])).rejects.toThrow(code('E_PARAM'));
    await expect(new AgglomerativeClustering().fit([[NaN], [1]])).rejects.toThrow(code('E_NONFINITE'));
    await expect(
      new AgglomerativeClustering({ linkage: 'average', metric: 'cosine' }).fit([
        [0, 0],
        [1, 1],
        [1, 2],
      ]),
    ).rejects.toThrow(/all zeros/);
    const ag = await new AgglomerativeClustering().fit([[1], [2], [4]]);
    expect(() => ag.distances).toThrow(/computeDistances/);
    expect(() => new AgglomerativeClustering().labels).toThrow(code('E_NOT_FITTED'));
  });
});
