/** Frame on vega-datasets' penguins: typed columns, describe (against numpy), select/filter/head, and use as a table. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ColumnTransformer, type CsrMatrix, Frame, fromRecords, OneHotEncoder, SimpleImputer } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const penguins = JSON.parse(readFileSync(fileURLToPath(new URL('../../node_modules/vega-datasets/data/penguins.json', import.meta.url)), 'utf8'));

describe('Frame', () => {
  const frame = Frame.fromTable(fromRecords(penguins));

  it('types columns: numbers stay numeric, strings become dictionary-coded categoricals', () => {
    expect(frame.rows).toBe(344);
    const island = frame.column('Island');
    expect(island.kind).toBe('categorical');
    if (island.kind === 'categorical') expect(island.labels).toEqual(['Biscoe', 'Dream', 'Torgersen']);
    expect(frame.column('Body Mass (g)').kind).toBe('numeric');
    expect(frame.row(0)).toEqual(expect.objectContaining({ Species: 'Adelie', 'Body Mass (g)': 3750, Sex: 'MALE' }));
  });

  it('describe matches numpy (ddof 1 std, linear percentiles) and counts categories', () => {
    const d = frame.describe();
    expect(d['Body Mass (g)']).toEqual(expect.objectContaining({ count: 342, missing: 2, min: 2700, max: 6300, q25: 3550, median: 4050, q75: 4750 }));
    const mass = d['Body Mass (g)'] as { mean: number; std: number };
    expect(mass.mean).toBeCloseTo(4201.754385964912, 9);
    expect(mass.std).toBeCloseTo(801.9545356980955, 9);
    expect(d.Sex).toEqual({ kind: 'categorical', count: 334, missing: 10, unique: 3, top: 'MALE', freq: 168, missingPct: (100 * 10) / 344 });
  });

  it('select, filter (mask or predicate), head and toMatrix', () => {
    const biscoe = frame.filter((r) => r.Island === 'Biscoe');
    expect(biscoe.rows).toBe(168);
    expect(frame.filter(Array.from({ length: 344 }, (_, i) => i < 3)).rows).toBe(3);
    const small = frame.select(['Beak Length (mm)', 'Body Mass (g)']).head(2);
    expect(small.columnNames).toEqual(['Beak Length (mm)', 'Body Mass (g)']);
    expect(small.toMatrix().toArray()).toEqual([
      [39.1, 3750],
      [39.5, 3800],
    ]);
    expect(() => frame.toMatrix(['Island'])).toThrowError(code('E_DTYPE'));
    expect(() => frame.column('Wings')).toThrowError(code('E_SHAPE'));
    expect(() => frame.filter([1])).toThrowError(code('E_LENGTH'));
  });

  it('is a table: ColumnTransformer selects its columns by name', async () => {
    const ct = new ColumnTransformer([
      ['num', new SimpleImputer(), ['Body Mass (g)']],
      ['cat', new OneHotEncoder({ sparseOutput: true, handleUnknown: 'ignore' }), ['Island']],
    ]);
    const out = (await ct.fitTransform(frame)) as CsrMatrix;
    expect(out.rows).toBe(344);
    expect(out.cols).toBe(4);
    expect(out.toArray()[0]).toEqual([3750, 0, 0, 1]);
  });
});

describe('ColumnTransformer dtype selectors', () => {
  it('picks number and string columns of a Frame, and checks the same columns at transform', async () => {
    const frame = Frame.fromTable(fromRecords(penguins));
    const ct = new ColumnTransformer([
      ['num', new SimpleImputer(), { dtype: 'number' }],
      ['cat', new OneHotEncoder({ sparseOutput: true, handleUnknown: 'ignore' }), { dtype: 'string' }],
    ]);
    const out = (await ct.fitTransform(frame.select(['Species', 'Body Mass (g)', 'Island']))) as CsrMatrix;
    expect(out.cols).toBe(1 + 3 + 3);
    expect(out.toArray()[0]).toEqual([3750, 1, 0, 0, 0, 0, 1]);
    await expect(ct.transform(frame.select(['Species', 'Body Mass (g)']))).rejects.toThrowError(/no column 'Island'/);
    expect(() => new ColumnTransformer([['x', 'passthrough', { dtype: 'date' as never }]])).toThrowError(code('E_PARAM'));
    await expect(new ColumnTransformer([['x', 'passthrough', { dtype: 'number' }]]).fit([[1]])).rejects.toThrowError(code('E_PARAM'));
  });
});
