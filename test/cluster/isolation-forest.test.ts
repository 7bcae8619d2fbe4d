/**
 * IsolationForest against scikit-learn 1.2 in distribution (random trees: scores are not
 * reproducible across implementations): planted_outliers.isolation_forest.json (AUC, mean scores,
 * converged scores with every row per tree) and <dataset>.isolation_forest.json; and bad input.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dispose, IsolationForest } from '../../src/index.js';
import { available } from '../helpers/backends.js';
import { loadFixture } from '../helpers/fixtures.js';

afterAll(async () => {
  await dispose();
});

const code = (c: string) => expect.objectContaining({ code: c });
const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / a.length;

/** ROC AUC of scores (higher: positive) against 0/1 truth, ties counted half. */
function auc(score: ArrayLike<number>, truth: ArrayLike<number>): number {
  let num = 0,
    pos = 0,
    neg = 0;
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] !== 1) continue;
    pos++;
    for (let j = 0; j < truth.length; j++) if (truth[j] === 0) num += score[i] > score[j] ? 1 : score[i] === score[j] ? 0.5 : 0;
  }
  for (let j = 0; j < truth.length; j++) if (truth[j] === 0) neg++;
  return num / (pos * neg);
}

function ranks(a: ArrayLike<number>): number[] {
  const idx = Array.from(a, (_, i) => i).sort((x, y) => a[x] - a[y]);
  const r = new Array<number>(a.length);
  idx.forEach((v, i) => {
    r[v] = i;
  });
  return r;
}

function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ra = ranks(a),
    rb = ranks(b);
  const ma = mean(ra),
    mb = mean(rb);
  let sab = 0,
    saa = 0,
    sbb = 0;
  for (let i = 0; i < ra.length; i++) {
    sab += (ra[i] - ma) * (rb[i] - mb);
    saa += (ra[i] - ma) ** 2;
    sbb += (rb[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

describe('IsolationForest parity with scikit-learn (in distribution)', () => {
  const f = loadFixture('planted_outliers', 'isolation_forest');
  const { X, truth, X_conv } = f.input;
  const e = f.expected;

  it('planted outliers: AUC and mean scores of inliers and outliers as scikit-learn', async () => {
    const iso = await new IsolationForest({ randomState: 0 }).fit(X);
    expect(iso.offset).toBe(-0.5);
    expect(iso.maxSamplesFitted).toBe(256);
    const s = await iso.scoreSamples(X);
    expect(
      Math.abs(
        auc(
          Array.from(s, (v) => -v),
          truth,
        ) - e.auc,
      ),
    ).toBeLessThan(0.02);
    expect(Math.abs(mean(s.subarray(0, 400)) - e.mean_inlier)).toBeLessThan(0.01);
    expect(Math.abs(mean(s.subarray(400)) - e.mean_outlier)).toBeLessThan(0.02);
    expect(spearman(s, e.score_samples)).toBeGreaterThan(0.9);
    const dfn = await iso.decisionFunction(X);
    expect(dfn[0]).toBeCloseTo(s[0] + 0.5, 12);
  });

  it('contamination 0.05: offset near scikit-learn, 5% of rows predicted -1', async () => {
    const iso = new IsolationForest({ contamination: 0.05, randomState: 0 });
    const pred = await iso.fitPredict(X);
    const nOut = pred.filter((v) => v === -1).length;
    expect(Math.abs(nOut - e.n_predicted_outliers_0_05)).toBeLessThanOrEqual(1);
    expect(Math.abs(iso.offset - e.offset_contamination_0_05)).toBeLessThan(0.02);
  });

  it('every row per tree and many trees: scores converge to scikit-learn', async () => {
    const iso = await new IsolationForest({ nEstimators: 3000, maxSamples: X_conv.length, randomState: 1 }).fit(X_conv);
    const s = await iso.scoreSamples(X_conv);
    let worst = 0;
    for (let i = 0; i < s.length; i++) worst = Math.max(worst, Math.abs(s[i] - e.score_samples_conv[i]));
    expect(worst).toBeLessThan(0.01);
  });

  for (const ds of ['wine', 'breast_cancer']) {
    it(`${ds}: Spearman >= 0.9 and mean score within 0.02 of scikit-learn's`, async () => {
      const g = loadFixture(ds, 'isolation_forest');
      const iso = await new IsolationForest({ nEstimators: 200, randomState: 0 }).fit(g.input.X);
      const s = await iso.scoreSamples(g.input.X);
      expect(spearman(s, g.expected.score_samples)).toBeGreaterThan(0.9);
      expect(Math.abs(mean(s) - mean(g.expected.score_samples))).toBeLessThan(0.02);
      const t = await iso.scoreSamples(g.input.X_test);
      expect(spearman(t, g.expected.score_samples_test)).toBeGreaterThan(0.9);
    });
  }
});

describe('IsolationForest', () => {
  it('every backend walks the same forest to the same scores (the hist family; webgpu within f32 rounding)', async () => {
    const rows = 3000;
    const X = Array.from({ length: rows }, (_, i) => [Math.sin(i * 0.37) * 3, Math.cos(i * 1.3), (i * 7919) % 101, i % 5 === 0 ? 9 : 0]);
    const ref = await (await new IsolationForest({ nEstimators: 50, randomState: 2, backend: 'js' }).fit(X)).scoreSamples(X);
    for (const backend of available) {
      const s = await (await new IsolationForest({ nEstimators: 50, randomState: 2, backend }).fit(X)).scoreSamples(X);
      let worst = 0;
      for (let i = 0; i < rows; i++) worst = Math.max(worst, Math.abs(s[i] - ref[i]));
      expect(worst, backend).toBeLessThan(backend === 'webgpu' ? 1e-5 : 1e-12);
    }
  });

  it('same seed, same forest; other options run', async () => {
    const X = Array.from({ length: 60 }, (_, i) => [Math.sin(i), Math.cos(3 * i), i % 7]);
    const a = await new IsolationForest({ nEstimators: 20, randomState: 3 }).fit(X);
    const b = await new IsolationForest({ nEstimators: 20, randomState: 3 }).fit(X);
    expect(Array.from(await a.scoreSamples(X))).toEqual(Array.from(await b.scoreSamples(X)));
    const c = await new IsolationForest({ nEstimators: 10, maxSamples: 0.5, maxFeatures: 2, bootstrap: true }).fit(X);
    expect(c.maxSamplesFitted).toBe(30);
    expect(c.nodeCounts.length).toBe(10);
    // depth limit ceil(log2(30)) = 5: at most 63 nodes per tree
    for (const n of c.nodeCounts) expect(n).toBeLessThanOrEqual(63);
    const far = await c.predict([[100, 100, 100]]);
    expect(far[0]).toBe(-1);
  });

  it('constant data: every tree is one leaf, every score the same', async () => {
    const iso = await new IsolationForest({ nEstimators: 5 }).fit([
      [1, 2],
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(Array.from(iso.nodeCounts)).toEqual([1, 1, 1, 1, 1]);
    const s = await iso.scoreSamples([
      [1, 2],
      [5, 5],
    ]);
    expect(s[0]).toBe(s[1]);
  });

  it('refuses bad input', async () => {
    expect(() => new IsolationForest({ contamination: 0.6 })).toThrow(code('E_PARAM'));
    expect(() => new IsolationForest({ contamination: 0 })).toThrow(/contamination/);
    expect(() => new IsolationForest({ nEstimators: 0 })).toThrow(code('E_PARAM'));
    await expect(new IsolationForest({ maxSamples: 2.5 }).fit([[1], [2], [3]])).rejects.toThrow(code('E_PARAM'));
    await expect(
      new IsolationForest({ maxFeatures: 3 }).fit([
        [1, 2],
        [2, 3],
      ]),
    ).rejects.toThrow(/maxFeatures/);
    await expect(new IsolationForest().fit([[NaN], [1]])).rejects.toThrow(code('E_NONFINITE'));
    await expect(new IsolationForest().scoreSamples([[1]])).rejects.toThrow(code('E_NOT_FITTED'));
    const iso = await new IsolationForest({ nEstimators: 3 }).fit([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    await expect(iso.predict([[1, 2, 3]])).rejects.toThrow(code('E_SHAPE'));
  });
});
