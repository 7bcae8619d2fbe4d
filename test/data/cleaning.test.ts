/** Cleaning helpers: duplicates, row filters, outlier detection, winsorising, function transforms. */
import { describe, expect, it } from 'vitest';
import { detectOutliers, dropDuplicates, filterRows, FunctionTransformer, Winsorizer } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const table = () => ({
  rows: 6,
  columns: {
    id: Float64Array.of(1, 2, 1, NaN, NaN, 3),
    city: ['a', 'b', 'a', null, null, '3'],
    v: Float64Array.of(10, 20, 30, 40, 50, 60),
  },
});

describe('dropDuplicates and filterRows', () => {
  it('keeps the first or last of rows equal on the keys, NaN and null equal to themselves', () => {
    const first = dropDuplicates(table(), { keys: ['id', 'city'] });
    expect(first.removed).toBe(2);
    expect(Array.from(first.columns.v as Float64Array)).toEqual([10, 20, 40, 60]);
    const last = dropDuplicates(table(), { keys: ['id', 'city'], keep: 'last' });
    expect(Array.from(last.columns.v as Float64Array)).toEqual([20, 30, 50, 60]);
    expect(dropDuplicates(table()).removed).toBe(0); // v differs on every row
    // the number 3 and the string '3' are different values
    expect(dropDuplicates({ rows: 2, columns: { a: Float64Array.of(3, 3), b: ['3', '3'] } }, { keys: ['a'] }).removed).toBe(1);
  });

  it('filterRows keeps masked rows and refuses a mask of the wrong length', () => {
    const t = filterRows(table(), [1, 0, 0, 0, 0, 1]);
    expect(t.rows).toBe(2);
    expect(t.columns.city).toEqual(['a', '3']);
    expect(() => filterRows(table(), [1])).toThrowError(code('E_LENGTH'));
    expect(() => dropDuplicates(table(), { keys: ['nope'] })).toThrowError(code('E_PARAM'));
  });
});

describe('outliers', () => {
  const X = [
    [1, 10],
    [2, 11],
    [3, 12],
    [4, 13],
    [100, 14],
    [NaN, -50],
  ];

  it('the IQR rule flags values beyond 1.5·IQR of the quartiles', async () => {
    const r = await detectOutliers(X);
    // column 0: q1 = 2, q3 = 4 → [−1, 7]; column 1 (with −50): q1 = 10.25, q3 = 12.75 → [6.5, 16.5]
    expect(Array.from(r.lower)).toEqual([-1, 6.5]);
    expect(Array.from(r.upper)).toEqual([7, 16.5]);
    expect(Array.from(r.perColumn)).toEqual([1, 1]);
    expect(Array.from(r.rows)).toEqual([0, 0, 0, 0, 1, 1]);
    expect(r.cells[4 * 2]).toBe(1);
  });

  it('the z-score rule uses mean and population std', async () => {
    // mean 1, population std 3: 10 is 3 std out, the zeros 1/3 std
    const col = [0, 0, 0, 0, 0, 0, 0, 0, 0, 10].map((v) => [v]);
    const r = await detectOutliers(col, { method: 'zscore', threshold: 2 });
    expect(Array.from(r.rows)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect([r.lower[0], r.upper[0]]).toEqual([-5, 7]);
    await expect(detectOutliers(col, { method: 'mad' as never })).rejects.toThrowError(code('E_PARAM'));
  });

  it('Winsorizer clips at training quantiles and keeps NaN', async () => {
    const w = await new Winsorizer({ quantiles: [25, 75] }).fit(X);
    expect(Array.from(w.lower)).toEqual([2, 10.25]);
    expect(
      (
        await w.transform([
          [0, 100],
          [NaN, 12],
        ])
      ).toArray(),
    ).toEqual([
      [2, w.upper[1]],
      [NaN, 12],
    ]);
    expect(() => new Winsorizer({ quantiles: [90, 10] })).toThrowError(code('E_PARAM'));
  });
});

describe('FunctionTransformer', () => {
  it('applies named or custom functions and inverts them', async () => {
    const t = new FunctionTransformer({ func: 'log1p' });
    const y = await t.fitTransform([[0, Math.E - 1]]);
    expect(y.toArray()).toEqual([[0, 1]]);
    expect((await t.inverseTransform(y)).toArray()[0][1]).toBeCloseTo(Math.E - 1, 15);
    const sq = new FunctionTransformer({ func: (x) => x * x, inverseFunc: Math.sqrt });
    expect((await sq.transform([[3]])).toArray()).toEqual([[9]]);
    await expect(new FunctionTransformer({ func: (x) => x }).inverseTransform([[1]])).rejects.toThrowError(code('E_PARAM'));
    await expect(new FunctionTransformer({ func: 'log' }).transform([[0]])).rejects.toThrowError(code('E_NONFINITE'));
    expect(() => new FunctionTransformer({ func: 'cube' as never })).toThrowError(code('E_PARAM'));
  });
});
