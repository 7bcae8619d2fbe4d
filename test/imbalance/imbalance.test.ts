/** Random over/under-sampling and computeClassWeight: counts, provenance, reproducibility, bad input. */
import { describe, expect, it } from 'vitest';
import { computeClassWeight, LogisticRegression, RandomOverSampler, RandomUnderSampler, SMOTE } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const X = Array.from({ length: 10 }, (_, i) => [i, i * 10]);
const y = ['a', 'a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'c'];
const count = (labels: unknown[]) => {
  const m: Record<string, number> = {};
  for (const l of labels) m[String(l)] = (m[String(l)] ?? 0) + 1;
  return m;
};

describe('random samplers', () => {
  it('over-sampling brings every class to the majority count with copies of real rows, originals first', async () => {
    const [Xr, yr] = await new RandomOverSampler({ randomState: 1 }).fitResample(X, y);
    expect(count(yr)).toEqual({ a: 6, b: 6, c: 6 });
    expect(Xr.toArray().slice(0, 10)).toEqual(X);
    Xr.toArray().forEach((r, i) => expect(y[r[0]]).toBe(yr[i])); // every row is a real row with its own label
    const again = await new RandomOverSampler({ randomState: 1 }).fitResample(X, y);
    expect(again[0].toArray()).toEqual(Xr.toArray());
  });

  it('under-sampling keeps the minority count per class, without repeats, in original order', async () => {
    const [Xr, yr] = await new RandomUnderSampler({ randomState: 3 }).fitResample(X, y);
    expect(count(yr)).toEqual({ a: 1, b: 1, c: 1 });
    const [Xs, ys] = await new RandomUnderSampler({ samplingStrategy: { a: 3 } }).fitResample(X, y);
    expect(count(ys)).toEqual({ a: 3, b: 3, c: 1 });
    const firstCol = Xs.toArray().map((r) => r[0]);
    expect(new Set(firstCol).size).toBe(firstCol.length);
    Xr.toArray().forEach((r, i) => expect(y[r[0]]).toBe(yr[i]));
  });

  it('rejects strategies that point the wrong way and mismatched input', async () => {
    await expect(new RandomOverSampler({ samplingStrategy: { a: 2 } }).fitResample(X, y)).rejects.toThrowError(code('E_PARAM'));
    await expect(new RandomUnderSampler({ samplingStrategy: { z: 2 } }).fitResample(X, y)).rejects.toThrowError(/class 'z'/);
    await expect(new RandomOverSampler().fitResample(X, y.slice(1))).rejects.toThrowError(code('E_PARAM'));
    expect(() => new RandomOverSampler({ samplingStrategy: 'most' as never })).toThrowError(code('E_PARAM'));
  });
});

describe('computeClassWeight', () => {
  it("'balanced' is n / (classes · count), as scikit-learn's compute_class_weight", () => {
    expect(Array.from(computeClassWeight('balanced', { classes: ['a', 'b', 'c'], y }))).toEqual([10 / 18, 10 / 9, 10 / 3]);
    expect(Array.from(computeClassWeight({ b: 2 }, { classes: ['a', 'b', 'c'], y }))).toEqual([1, 2, 1]);
    expect(() => computeClassWeight('balanced', { classes: ['a', 'b'], y })).toThrowError(code('E_PARAM'));
    expect(() => computeClassWeight({ b: -1 }, { classes: ['a', 'b', 'c'], y })).toThrowError(code('E_PARAM'));
  });

  it("matches what LogisticRegression's classWeight does", async () => {
    const w = computeClassWeight('balanced', { classes: ['a', 'b', 'c'], y });
    const byOption = await new LogisticRegression({ classWeight: 'balanced' }).fit(X, y);
    const byWeights = await new LogisticRegression().fit(X, y, { sampleWeight: y.map((l) => w[['a', 'b', 'c'].indexOf(l)]) });
    expect(byOption.coef.toArray()).toEqual(byWeights.coef.toArray());
  });
});

describe('SMOTE', () => {
  it('adds minority rows on segments between same-class neighbours until classes balance', async () => {
    const rng = Array.from({ length: 40 }, (_, i) => i);
    const Xs = rng.map((i) => (i < 32 ? [i, 0] : [100 + (i - 32), 50 + (i - 32) * 2])); // minority on the line y = 2x − 150
    const ys = rng.map((i) => (i < 32 ? 'major' : 'minor'));
    const [Xr, yr] = await new SMOTE({ kNeighbors: 3, randomState: 2 }).fitResample(Xs, ys);
    expect(count(yr)).toEqual({ major: 32, minor: 32 });
    expect(Xr.toArray().slice(0, 40)).toEqual(Xs);
    for (const [x, z] of Xr.toArray().slice(40)) {
      expect(z).toBeCloseTo(2 * x - 150, 9); // on the minority's line, inside its range
      expect(x).toBeGreaterThanOrEqual(100);
      expect(x).toBeLessThanOrEqual(107);
    }
    const again = await new SMOTE({ kNeighbors: 3, randomState: 2 }).fitResample(Xs, ys);
    expect(again[0].toArray()).toEqual(Xr.toArray());
    await expect(new SMOTE({ kNeighbors: 8 }).fitResample(Xs, ys)).rejects.toThrowError(/lower kNeighbors/);
    expect(() => new SMOTE({ samplingStrategy: 'most' as never })).toThrowError(code('E_PARAM'));
  });
});
