/**
 * BalancedRandomForestClassifier and EasyEnsembleClassifier (imbalanced-learn 0.10 semantics; not
 * installed here, so checked by their documented draws): every tree / member sees a class-balanced
 * subset (a test subclass records the forest's row counts), determinism by seed, bad input.
 */
import { describe, expect, it } from 'vitest';
import { AdaBoostClassifier, BalancedRandomForestClassifier, DecisionTreeClassifier, EasyEnsembleClassifier, RandomForestClassifier } from '../../src/index.js';
import type { Rng } from '../../src/core/prng.js';
import type { RowClasses } from '../../src/models/tree/forest-base.js';

const code = (c: string) => expect.objectContaining({ code: c });
const X = Array.from({ length: 90 }, (_, i) => [Math.sin(i * 1.3) + (i < 15 ? 1 : 0), Math.cos(i * 0.7), (i % 11) / 11]);
const y = X.map((_, i) => (i < 15 ? 'rare' : i < 40 ? 'mid' : 'common')); // 15, 25, 50 rows

/** Records each tree's row counts. */
class Recording extends BalancedRandomForestClassifier {
  static draws: Float64Array[] = [];
  protected override drawRows(counts: Float64Array, rng: Rng, perTree: number, classes: RowClasses | undefined): void {
    super.drawRows(counts, rng, perTree, classes);
    Recording.draws.push(counts.slice());
  }
}

const perClass = (counts: Float64Array) => ['rare', 'mid', 'common'].map((c) => y.reduce((s, l, i) => s + (l === c ? counts[i] : 0), 0));

describe('BalancedRandomForestClassifier', () => {
  it('without bootstrap, each tree grows on 15 distinct rows of every class', async () => {
    Recording.draws = [];
    await new Recording({ nEstimators: 5, bootstrap: false }).fit(X, y);
    expect(Recording.draws).toHaveLength(5);
    for (const c of Recording.draws) {
      expect(perClass(c)).toEqual([15, 15, 15]);
      expect(c.every((v) => v === 0 || v === 1)).toBe(true);
      expect(c.slice(0, 15).every((v) => v === 1)).toBe(true); // the minority is kept whole
    }
    expect(Recording.draws[0]).not.toEqual(Recording.draws[1]);
  });

  it('with bootstrap, 45 draws (n = 90 capped at the balanced subset size) from the 45 balanced rows; with replacement the subset repeats rows', async () => {
    Recording.draws = [];
    await new Recording({ nEstimators: 4 }).fit(X, y);
    for (const c of Recording.draws) expect(c.reduce((a, b) => a + b, 0)).toBe(45);
    Recording.draws = [];
    await new Recording({ nEstimators: 4, bootstrap: false, replacement: true }).fit(X, y);
    for (const c of Recording.draws) expect(perClass(c)).toEqual([15, 15, 15]);
    expect(Recording.draws.some((c) => c.some((v) => v > 1))).toBe(true);
    // maxSamples counts all 90 rows (as imbalanced-learn's), capped at the subset's 45
    Recording.draws = [];
    await new Recording({ nEstimators: 2, maxSamples: 0.2 }).fit(X, y);
    for (const c of Recording.draws) expect(c.reduce((a, b) => a + b, 0)).toBe(18);
    Recording.draws = [];
    await new Recording({ nEstimators: 2, maxSamples: 0.9 }).fit(X, y);
    for (const c of Recording.draws) expect(c.reduce((a, b) => a + b, 0)).toBe(45);
    Recording.draws = [];
    await new Recording({ nEstimators: 2, bootstrap: false, samplingStrategy: { common: 20 } }).fit(X, y);
    for (const c of Recording.draws) expect(perClass(c)).toEqual([15, 25, 20]);
  });

  it('is deterministic by seed, and its trees average like a forest', async () => {
    const a = await new BalancedRandomForestClassifier({ nEstimators: 20, randomState: 3 }).fit(X, y);
    const b = await new BalancedRandomForestClassifier({ nEstimators: 20, randomState: 3 }).fit(X, y);
    const c = await new BalancedRandomForestClassifier({ nEstimators: 20, randomState: 4 }).fit(X, y);
    const pa = await a.predictProba(X);
    expect(Array.from(pa.data)).toEqual(Array.from((await b.predictProba(X)).data));
    expect(Array.from(pa.data)).not.toEqual(Array.from((await c.predictProba(X)).data));
    for (let r = 0; r < pa.rows; r++) expect(pa.data[r * 3] + pa.data[r * 3 + 1] + pa.data[r * 3 + 2]).toBeCloseTo(1, 12);
    expect(a.classes).toEqual(['common', 'mid', 'rare']);
    // the minority gets more weight than in a plain forest on the same data
    const plain = await new RandomForestClassifier({ nEstimators: 20, randomState: 3 }).fit(X, y);
    const meanRare = (p: { data: Float64Array; rows: number }) => p.data.filter((_, i) => i % 3 === 2).reduce((s, v) => s + v, 0) / p.rows;
    expect(meanRare(pa)).toBeGreaterThan(meanRare(await plain.predictProba(X)));
  });

  it('refuses a bad strategy', async () => {
    expect(() => new BalancedRandomForestClassifier({ samplingStrategy: 'minority' as never })).toThrowError(code('E_PARAM'));
    await expect(new BalancedRandomForestClassifier({ samplingStrategy: { rare: 20 } }).fit(X, y)).rejects.toThrowError(code('E_PARAM'));
    await expect(new BalancedRandomForestClassifier({ samplingStrategy: { other: 2 } }).fit(X, y)).rejects.toThrowError(code('E_PARAM'));
  });
});

describe('EasyEnsembleClassifier', () => {
  it('fits each member on 15 distinct rows of every class; deterministic by seed', async () => {
    const e = await new EasyEnsembleClassifier({ nEstimators: 4, estimator: new AdaBoostClassifier({ nEstimators: 10 }), randomState: 2 }).fit(X, y);
    const samples = e.estimatorsSamples;
    expect(samples).toHaveLength(4);
    for (const s of samples) {
      const counts = new Float64Array(X.length);
      for (const r of s) counts[r]++;
      expect(perClass(counts)).toEqual([15, 15, 15]);
      expect(new Set(s).size).toBe(45);
    }
    expect(e.estimators[0]).toBeInstanceOf(AdaBoostClassifier);
    const again = await new EasyEnsembleClassifier({ nEstimators: 4, estimator: new AdaBoostClassifier({ nEstimators: 10 }), randomState: 2 }).fit(X, y);
    expect(Array.from((await again.predictProba(X)).data)).toEqual(Array.from((await e.predictProba(X)).data));
    expect(e.classes).toEqual(['common', 'mid', 'rare']);
  });

  it('its probability is the mean of its members', async () => {
    const e = await new EasyEnsembleClassifier({ nEstimators: 3, estimator: new DecisionTreeClassifier({ maxDepth: 2 }) }).fit(X, y);
    const p = await e.predictProba(X);
    const parts = await Promise.all(e.estimators.map((m) => (m as DecisionTreeClassifier).predictProba(X)));
    for (let i = 0; i < p.data.length; i++) expect(p.data[i]).toBeCloseTo((parts[0].data[i] + parts[1].data[i] + parts[2].data[i]) / 3, 14);
    expect(await e.predict(X)).toHaveLength(X.length);
  });

  it('refuses bad input', async () => {
    expect(() => new EasyEnsembleClassifier({ nEstimators: 0 })).toThrowError(code('E_PARAM'));
    await expect(new EasyEnsembleClassifier().fit(X, y.slice(1))).rejects.toThrowError(code('E_PARAM'));
    await expect(
      new EasyEnsembleClassifier().fit(
        X,
        y.map(() => 'one'),
      ),
    ).rejects.toThrowError(code('E_PARAM'));
    await expect(new EasyEnsembleClassifier({ samplingStrategy: { rare: 30 } }).fit(X, y)).rejects.toThrowError(code('E_PARAM'));
  });
});
