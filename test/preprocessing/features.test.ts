/** Date parts (plain and cyclical), frequency encoding, lag and rolling-window features. */
import { describe, expect, it } from 'vitest';
import { DateFeatures, FrequencyEncoder, HashingEncoder, lagFeatures, murmurhash3, rollingFeatures, TargetEncoder } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('DateFeatures', () => {
  const t = [[Date.UTC(2024, 1, 29, 13, 45)], [Date.UTC(2001, 11, 31, 0, 0)], [NaN]];

  it('extracts UTC calendar parts, NaN for missing dates', async () => {
    const f = await new DateFeatures({ parts: ['year', 'month', 'day', 'dayOfWeek', 'dayOfYear', 'hour', 'minute'] }).fit(t);
    const out = (await f.transform(t)).toArray();
    // 2024-02-29 was a Thursday (4), day 60 of a leap year; 2001-12-31 a Monday, day 365
    expect(out[0]).toEqual([2024, 2, 29, 4, 60, 13, 45]);
    expect(out[1]).toEqual([2001, 12, 31, 1, 365, 0, 0]);
    expect(out[2].every(Number.isNaN)).toBe(true);
    expect(f.featureNamesOut(['ts'])).toEqual(['ts_year', 'ts_month', 'ts_day', 'ts_dayOfWeek', 'ts_dayOfYear', 'ts_hour', 'ts_minute']);
  });

  it('cyclical parts lie on the unit circle, with December next to January', async () => {
    const f = await new DateFeatures({ parts: ['year', 'month'], cyclical: true }).fit(t);
    expect(f.featureNamesOut()).toEqual(['x0_year', 'x0_month_sin', 'x0_month_cos']);
    const months = [0, 11].map((m) => [Date.UTC(2020, m, 1)]);
    const [[, s1, c1], [, s12, c12]] = (await f.transform(months)).toArray();
    expect([s1, c1]).toEqual([0, 1]);
    expect(Math.hypot(s12, c12)).toBeCloseTo(1, 15);
    expect(Math.hypot(s12 - s1, c12 - c1)).toBeCloseTo(2 * Math.sin(Math.PI / 12), 12); // one step apart
    expect(() => new DateFeatures({ parts: ['week' as never] })).toThrowError(code('E_PARAM'));
    await expect(f.transform([[1, 2]])).rejects.toThrowError(code('E_SHAPE'));
  });
});

describe('FrequencyEncoder', () => {
  it('maps categories to their training share or count, unseen to 0', async () => {
    const X = [['a'], ['b'], ['a'], ['c']];
    const f = await new FrequencyEncoder().fit(X);
    expect((await f.transform([['a'], ['c'], ['z']])).toArray()).toEqual([[0.5], [0.25], [0]]);
    const c = await new FrequencyEncoder({ output: 'count' }).fit(X);
    expect((await c.transform([['a']])).toArray()).toEqual([[2]]);
  });
});

describe('lag and rolling features', () => {
  const s = [1, 2, 4, 8, NaN, 32];

  it('lags shift the series, NaN before it starts', () => {
    expect(lagFeatures(s, [1, 3]).toArray()).toEqual([
      [NaN, NaN],
      [1, NaN],
      [2, NaN],
      [4, 1],
      [8, 2],
      [NaN, 4],
    ]);
    expect(() => lagFeatures(s, [0])).toThrowError(code('E_PARAM'));
  });

  it('rolling windows end before the current row unless closed is both', () => {
    const left = rollingFeatures(s, { window: 2, stats: ['mean', 'max', 'std'] }).toArray();
    expect(left[2]).toEqual([1.5, 2, Math.SQRT1_2]);
    expect(left[0].every(Number.isNaN)).toBe(true);
    expect(left[5].every(Number.isNaN)).toBe(true); // window [8, NaN] has 1 < minPeriods values
    const both = rollingFeatures(s, { window: 2, stats: ['sum'], closed: 'both', minPeriods: 1 })
      .toArray()
      .map((r) => r[0]);
    expect(both).toEqual([1, 3, 6, 12, 8, 32]);
    expect(() => rollingFeatures(s, { window: 2, minPeriods: 3 })).toThrowError(code('E_PARAM'));
  });
});

describe('TargetEncoder', () => {
  const X = [['a'], ['a'], ['a'], ['b'], ['b'], ['c']];
  const y = [1, 2, 3, 10, 14, 7];
  const mean = 37 / 6;

  it('with smooth m encodes (sum + m·mean) / (count + m); unseen categories get the mean', async () => {
    const e = await new TargetEncoder({ smooth: 2 }).fit(X, y);
    const out = (await e.transform([['a'], ['b'], ['c'], ['zz']])).toArray().map((r) => r[0]);
    const want = [(6 + 2 * mean) / 5, (24 + 2 * mean) / 4, (7 + 2 * mean) / 3, mean];
    out.forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
    expect(e.targetMean).toBeCloseTo(mean, 14);
  });

  it("'auto' shrinks by λ = σ²n / (σ²n + s²) (s² the category's mean squared deviation from the global mean)", async () => {
    const e = await new TargetEncoder().fit(X, y);
    const variance = y.reduce((a, v) => a + (v - mean) ** 2, 0) / 6;
    const rows = [[0, 1, 2], [3, 4], [5]];
    const want = rows.map((idx) => {
      const n = idx.length,
        m = idx.reduce((a, i) => a + y[i], 0) / n,
        s2 = idx.reduce((a, i) => a + (y[i] - mean) ** 2, 0) / n;
      const lambda = (variance * n) / (variance * n + s2);
      return lambda * m + (1 - lambda) * mean;
    });
    const out = (await e.transform([['a'], ['b'], ['c']])).toArray().map((r) => r[0]);
    out.forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
  });

  it('fitTransform cross-fits: a row never sees its own target', async () => {
    // every category unique: a leaky encoder would return y itself
    const n = 200,
      Xu = Array.from({ length: n }, (_, i) => [`c${i}`]);
    const yr = Array.from({ length: n }, (_, i) => ((i * 7919) % 101) / 10);
    const crossFitted = (await new TargetEncoder({ smooth: 0 }).fitTransform(Xu, yr)).toArray().map((r) => r[0]);
    const leaky = (await (await new TargetEncoder({ smooth: 0 }).fit(Xu, yr)).transform(Xu)).toArray().map((r) => r[0]);
    expect(leaky).toEqual(yr.map((v) => expect.closeTo(v, 12)));
    crossFitted.forEach((v, i) => expect(v).not.toBeCloseTo(yr[i], 6)); // each got its fold's training mean
  });

  it('binary targets are encoded 0/1 in sorted order; bad targets are refused', async () => {
    const e = await new TargetEncoder({ smooth: 0 }).fit([['a'], ['a'], ['b']], ['no', 'yes', 'yes']);
    expect((await e.transform([['a'], ['b']])).toArray()).toEqual([[0.5], [1]]);
    await expect(new TargetEncoder().fit(X, y.slice(1))).rejects.toThrowError(code('E_PARAM'));
    await expect(new TargetEncoder({ targetType: 'continuous' }).fit([['a'], ['b']], ['x', 'y'])).rejects.toThrowError(code('E_PARAM'));
    expect(() => new TargetEncoder({ cv: 1 })).toThrowError(code('E_PARAM'));
  });
});

describe('HashingEncoder (expectations from scikit-learn 1.2.1)', () => {
  it('murmurhash3 equals sklearn.utils.murmurhash3_32', () => {
    const want: [string, number][] = [
      ['', 0],
      ['a', 1009084850],
      ['ab', -1681926305],
      ['abc', -1277324294],
      ['abcd', 1139631978],
      ['x0=red', 185696434],
      ['héllo wörld', -1745358220],
      ['x1=S', 1074152100],
    ];
    for (const [s, h] of want) expect(murmurhash3(new TextEncoder().encode(s))).toBe(h);
  });

  it("gives FeatureHasher's indices and signs on {column: value} rows", async () => {
    const X = [
      ['red', 'S'],
      ['blue', 'M'],
      ['red', 'L'],
    ];
    const e = await new HashingEncoder({ nFeatures: 8 }).fit(X);
    expect((await e.transform(X)).toArray()).toEqual([
      [0, 0, 1, 0, 1, 0, 0, 0],
      [0, 0, 0, 1, 0, 1, 0, 0],
      [0, 0, 1, 0, 1, 0, 0, 0],
    ]);
    const unsigned = await new HashingEncoder({ nFeatures: 3, alternateSign: false }).fit(X);
    expect((await unsigned.transform(X)).toArray()).toEqual([
      [1, 1, 0],
      [1, 0, 1],
      [0, 2, 0],
    ]);
    expect(() => new HashingEncoder({ nFeatures: 0 })).toThrowError(code('E_PARAM'));
  });
});
