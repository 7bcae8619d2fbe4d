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

  it('gives what the UTC getters of Date give, across eras, fractions, edges and times past its range', async () => {
    // Date's getters as the reference (dayOfYear by Date.UTC, as the parts are defined)
    const ref = (t: number): number[] => {
      const d = new Date(t);
      const doy = Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
      return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCDay(), doy, d.getUTCHours(), d.getUTCMinutes()];
    };
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const times: number[] = [8.64e15, -8.64e15, 8.64e15 + 1, -8.64e15 - 1, 1e300, NaN, -0.5, 0.5, -1, 0, -86_400_000];
    for (const y of [-271821, -1, 0, 4, 99, 100, 1600, 1900, 2000, 2024, 2100, 275760])
      for (const m of [0, 1, 2, 11]) times.push(Date.UTC(2000, m, m === 1 ? 29 : 1, 23, 59, 59, 999) + (Date.UTC(y, 0, 1) - Date.UTC(2000, 0, 1)));
    for (let i = 0; i < 20_000; i++) times.push((rand() * 2 - 1) * (i % 2 ? 8.64e15 : 4e12) + (i % 3 ? 0 : rand()));
    // runs of times in order over a few days (consecutive rows sharing a day), across midnights and a year's end
    for (const start of [Date.UTC(2023, 11, 30), Date.UTC(1969, 11, 31, 12), Date.UTC(2024, 1, 28)])
      for (let i = 0; i < 2000; i++) times.push(start + Math.floor(i * 129_600 + rand() * 1000));
    const X = times.map((t) => [t]);
    const f = await new DateFeatures({ parts: ['year', 'month', 'day', 'dayOfWeek', 'dayOfYear', 'hour', 'minute'] }).fit(X);
    const out = (await f.transform(X)).toArray();
    times.forEach((t, i) => expect(out[i], `t = ${t}`).toEqual(Number.isNaN(new Date(t).getTime()) ? Array(7).fill(NaN) : ref(t)));
    // the parts in another order, two columns, cyclical: the same values placed as asked
    const two = times.slice(0, 200).map((t, i) => [t, times[i + 200]]);
    const g = await new DateFeatures({ parts: ['hour', 'year', 'dayOfYear'], cyclical: true }).fit(two);
    const cyc = (await g.transform(two)).toArray();
    two.forEach(([a, b], i) => {
      const [ra, rb] = [ref(a), ref(b)];
      const h = (2 * Math.PI * ra[5]) / 24,
        d = (2 * Math.PI * (rb[4] - 1)) / 366;
      const want = [Math.sin(h), Math.cos(h), ra[0], Math.sin((2 * Math.PI * (ra[4] - 1)) / 366), Math.cos((2 * Math.PI * (ra[4] - 1)) / 366)];
      want.push(Math.sin((2 * Math.PI * rb[5]) / 24), Math.cos((2 * Math.PI * rb[5]) / 24), rb[0], Math.sin(d), Math.cos(d));
      expect(cyc[i]).toEqual(want);
    });
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
