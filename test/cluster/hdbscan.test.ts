/**
 * HDBSCAN (scikit-learn 1.3 semantics). Neither scikit-learn 1.3 nor the hdbscan package is
 * installed here (Debian's scikit-learn is 1.2, which has no HDBSCAN), so there is no parity
 * fixture: the tests check cases worked by hand (the trees, stabilities and selections written
 * out in the comments), well-separated blobs recovered exactly, noise, minClusterSize, and invariants.
 */
import { describe, expect, it } from 'vitest';
import { HDBSCAN } from '../../src/index.js';
import { Rng } from '../../src/core/prng.js';
import { condenseTree, labelRows, mutualReachabilityMst, selectClusters, singleLinkage, stability } from '../../src/cluster/hdbscan-tree.js';

const code = (c: string) => expect.objectContaining({ code: c });

// 1-D rows 0, 1, 2 | 10, 11, 12 | 30. With minSamples 1 the core distances are 0 and the
// mutual reachability is the distance: the spanning tree has four edges of 1, one of 8 and one of
// 18. Condensed at minClusterSize 3: row 6 (at 30) leaves the root at λ = 1/18, the root splits at
// λ = 1/8 into clusters 8 and 9 (ids from n = 7, the root), whose rows all leave at λ = 1.
// Stabilities: root (1/18)·1 + 2·(1/8)·3 = 0.8056; each child 3·(1 − 1/8) = 2.625.
const X7 = [[0], [1], [2], [10], [11], [12], [30]];

describe('HDBSCAN on a case worked by hand', () => {
  it('the condensed tree and stabilities', () => {
    const data = Float64Array.from(X7.flat());
    const mst = mutualReachabilityMst(data, 7, 1, new Float64Array(7));
    expect([...mst.weight].sort((a, b) => a - b)).toEqual([1, 1, 1, 1, 8, 18]);
    const t = condenseTree(singleLinkage(mst, 7), 3);
    const rows = t.parent.map((p, i) => [p, t.child[i], t.lambda[i], t.size[i]]);
    expect(rows).toContainEqual([7, 6, 1 / 18, 1]);
    expect(rows).toContainEqual([7, 8, 1 / 8, 3]);
    expect(rows).toContainEqual([7, 9, 1 / 8, 3]);
    expect(rows.filter((r) => r[0] >= 8)).toHaveLength(6);
    expect(rows.filter((r) => r[0] >= 8).every((r) => r[2] === 1 && r[3] === 1)).toBe(true);
    const s = stability(t, 7);
    expect(s[0]).toBeCloseTo(1 / 18 + 0.75, 14);
    expect(s[1]).toBe(2.625);
    expect(s[2]).toBe(2.625);
    const sel = { method: 'eom' as const, allowSingleCluster: false, epsilon: 0 };
    const clusters = selectClusters(t, 7, s, sel);
    expect([...clusters].sort()).toEqual([8, 9]);
    const { labels, probabilities } = labelRows(t, 7, clusters, sel);
    expect(new Set([labels[0], labels[1], labels[2]]).size).toBe(1);
    expect(new Set([labels[3], labels[4], labels[5]]).size).toBe(1);
    expect(labels[0]).not.toBe(labels[3]);
    expect(labels[6]).toBe(-1);
    expect(Array.from(probabilities)).toEqual([1, 1, 1, 1, 1, 1, 0]);
  });

  it.each(['eom', 'leaf'] as const)('the estimator, method %s: two clusters and one noise row', async (method) => {
    const m = await new HDBSCAN({ minClusterSize: 3, minSamples: 1, clusterSelectionMethod: method }).fit(X7);
    expect(Array.from(m.labels)).toEqual([0, 0, 0, 1, 1, 1, -1]);
    expect(Array.from(m.probabilities)).toEqual([1, 1, 1, 1, 1, 1, 0]);
  });

  it('clusterSelectionEpsilon above the split distance merges into the root only with allowSingleCluster', async () => {
    // the children are born at distance 8 < 10: they climb to the root, which is kept only when allowed
    const kept = await new HDBSCAN({ minClusterSize: 3, minSamples: 1, clusterSelectionEpsilon: 10 }).fit(X7);
    expect(Array.from(kept.labels)).toEqual([0, 0, 0, 1, 1, 1, -1]);
    const single = await new HDBSCAN({ minClusterSize: 3, minSamples: 1, clusterSelectionEpsilon: 10, allowSingleCluster: true }).fit(X7);
    // the one cluster holds the rows leaving the root at λ >= 1/10: all but row 6 (λ = 1/18)
    expect(Array.from(single.labels)).toEqual([0, 0, 0, 0, 0, 0, -1]);
    const narrow = await new HDBSCAN({ minClusterSize: 3, minSamples: 1, clusterSelectionEpsilon: 5 }).fit(X7);
    expect(Array.from(narrow.labels)).toEqual([0, 0, 0, 1, 1, 1, -1]);
  });

  it('allowSingleCluster without epsilon keeps the two children (their stability beats the root)', async () => {
    const m = await new HDBSCAN({ minClusterSize: 3, minSamples: 1, allowSingleCluster: true }).fit(X7);
    expect(Array.from(m.labels)).toEqual([0, 0, 0, 1, 1, 1, -1]);
  });

  it('minSamples 2: core distances 1 (18 for the far row) leave the picture unchanged', async () => {
    const m = await new HDBSCAN({ minClusterSize: 3, minSamples: 2 }).fit(X7);
    expect(Array.from(m.labels)).toEqual([0, 0, 0, 1, 1, 1, -1]);
  });
});

/** A 5 × 5 lattice of spacing 0.1 around (cx, cy). */
const lattice = (cx: number, cy: number) => Array.from({ length: 25 }, (_, i) => [cx + 0.1 * (i % 5), cy + 0.1 * Math.floor(i / 5)]);

describe('HDBSCAN on blobs', () => {
  it('recovers well-separated lattices exactly and labels far rows noise', async () => {
    const X = [...lattice(0, 0), ...lattice(10, 0), ...lattice(0, 10), [40, 40], [-40, 25], [25, -40]];
    for (const method of ['eom', 'leaf'] as const) {
      const m = await new HDBSCAN({ minClusterSize: 5, clusterSelectionMethod: method }).fit(X);
      const l = Array.from(m.labels);
      for (let b = 0; b < 3; b++) expect(new Set(l.slice(25 * b, 25 * b + 25)), `${method} blob ${b}`).toEqual(new Set([l[25 * b]]));
      expect(new Set([l[0], l[25], l[50]]).size).toBe(3);
      expect(l.slice(75)).toEqual([-1, -1, -1]);
      expect(Math.max(...l)).toBe(2);
    }
  });

  it('noisy gaussian blobs: every cluster has at least minClusterSize rows, probabilities in [0, 1], deterministic', async () => {
    const rng = new Rng(11);
    const centres = [
      [0, 0],
      [6, 0],
      [3, 6],
    ];
    const X = Array.from({ length: 240 }, (_, i) => {
      if (i >= 225) return [rng.random() * 30 - 15, rng.random() * 30 - 15];
      const c = centres[i % 3];
      return [c[0] + 0.5 * rng.normal(), c[1] + 0.5 * rng.normal()];
    });
    for (const minClusterSize of [5, 15, 40]) {
      const m = await new HDBSCAN({ minClusterSize }).fit(X);
      const l = m.labels;
      const sizes = new Map<number, number>();
      for (const v of l) if (v >= 0) sizes.set(v, (sizes.get(v) ?? 0) + 1);
      for (const s of sizes.values()) expect(s).toBeGreaterThanOrEqual(minClusterSize);
      expect([...sizes.keys()].sort()).toEqual(Array.from({ length: sizes.size }, (_, i) => i));
      const p = m.probabilities;
      l.forEach((v, i) => {
        expect(p[i]).toBeGreaterThanOrEqual(0);
        expect(p[i]).toBeLessThanOrEqual(1);
        if (v === -1) expect(p[i]).toBe(0);
      });
      expect(Array.from((await new HDBSCAN({ minClusterSize }).fit(X)).labels)).toEqual(Array.from(l));
    }
    // at minClusterSize 15 the three blobs are the clusters: each blob's rows mostly share one label
    const l = (await new HDBSCAN({ minClusterSize: 15 }).fit(X)).labels;
    const major = [0, 1, 2].map((b) => {
      const counts = new Map<number, number>();
      for (let i = b; i < 225; i += 3) counts.set(l[i], (counts.get(l[i]) ?? 0) + 1);
      return [...counts].sort((a, z) => z[1] - a[1])[0];
    });
    expect(new Set(major.map(([lab]) => lab)).size).toBe(3);
    for (const [lab, n] of major) {
      expect(lab).toBeGreaterThanOrEqual(0);
      expect(n).toBeGreaterThanOrEqual(60);
    }
  });

  it('duplicate rows (distance 0, λ = ∞) give finite probabilities', async () => {
    const X = [...Array.from({ length: 6 }, () => [1, 1]), ...Array.from({ length: 6 }, () => [5, 5]), [9, 9]];
    const m = await new HDBSCAN({ minClusterSize: 3 }).fit(X);
    expect(Array.from(m.labels)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, -1]);
    expect(Array.from(m.probabilities).every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});

describe('HDBSCAN: the spanning tree', () => {
  it("Prim's tree weighs what Kruskal's does on the brute-force mutual-reachability matrix, and spans every row", () => {
    const rng = new Rng(8);
    const n = 60,
      p = 3,
      k = 4;
    const X = Float64Array.from({ length: n * p }, () => Math.round(rng.normal() * 4) / 2); // ties on purpose
    const d = (a: number, b: number) => Math.sqrt([0, 1, 2].reduce((s, j) => s + (X[a * p + j] - X[b * p + j]) ** 2, 0));
    const core = Float64Array.from(
      { length: n },
      (_, i) =>
        Array.from({ length: n }, (_, j) => d(i, j))
          .sort((a, b) => a - b)
          .at(k - 1)!,
    );
    const mst = mutualReachabilityMst(X, n, p, core);
    const reach = (a: number, b: number) => Math.max(core[a], core[b], d(a, b));
    const edges: [number, number, number][] = [];
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) edges.push([reach(a, b), a, b]);
    edges.sort((x, y) => x[0] - y[0]);
    const parent = Array.from({ length: n }, (_, i) => i);
    const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
    let kruskal = 0;
    for (const [w, a, b] of edges) {
      const ra = find(a),
        rb = find(b);
      if (ra !== rb) {
        parent[ra] = rb;
        kruskal += w;
      }
    }
    const prim = mst.weight.reduce((s, w) => s + w, 0);
    expect(Math.abs(prim - kruskal)).toBeLessThan(1e-9);
    mst.from.forEach((a, i) => expect(mst.weight[i]).toBe(reach(a, mst.to[i]))); // each edge weighs its own reach
    const h = singleLinkage(mst, n);
    expect(h.size[n - 2]).toBe(n);
  });
});

describe('HDBSCAN: bad input', () => {
  it('refuses bad parameters, too few rows, non-finite data', async () => {
    expect(() => new HDBSCAN({ minClusterSize: 1 })).toThrowError(code('E_PARAM'));
    expect(() => new HDBSCAN({ minSamples: 0 })).toThrowError(code('E_PARAM'));
    expect(() => new HDBSCAN({ clusterSelectionEpsilon: -1 })).toThrowError(code('E_PARAM'));
    expect(() => new HDBSCAN({ clusterSelectionMethod: 'tree' as never })).toThrowError(code('E_PARAM'));
    await expect(new HDBSCAN({ minClusterSize: 8 }).fit(X7)).rejects.toThrowError(/minSamples is 8 but X has only 7/);
    await expect(new HDBSCAN({ minClusterSize: 2 }).fit([[1]])).rejects.toThrowError(code('E_PARAM'));
    await expect(new HDBSCAN().fit([...X7, [NaN]])).rejects.toThrowError(code('E_NONFINITE'));
    expect(() => new HDBSCAN().labels).toThrowError(code('E_NOT_FITTED'));
  });
});
