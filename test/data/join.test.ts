/** Frame.join against pandas' merge (test/fixtures/pandas/cars.json): many-to-one, many-to-many, inner and left, suffixes. */
import { describe, expect, it } from 'vitest';
import { Frame } from '../../src/index.js';
import { cars, code, expectColumns, pandasCases, plain } from '../helpers/pandas-fixtures.js';

const C = pandasCases('cars');
const text = (values: (string | null)[]) => ({ kind: 'categorical' as const, ...labelled(values) });
function labelled(values: (string | null)[]) {
  const labels = [...new Set(values.filter((v): v is string => v !== null))].sort();
  return { labels, codes: Int32Array.from(values, (v) => (v === null ? -1 : labels.indexOf(v))) };
}
const num = (values: number[]) => ({ kind: 'numeric' as const, values: Float64Array.from(values) });

describe('Frame.join', () => {
  const left = cars();
  const regions = new Frame({ Origin: text(['USA', 'Europe']), region: text(['North America', 'Europe']), Name: text(['us', 'eu']) });
  const cylinders = new Frame({ Cylinders: num([4, 4, 6, 8, 3, 12]), engine: text(['i4', 'flat4', 'v6', 'v8', 'rotary', 'v12']) });

  it('many-to-one on a text key, with suffixes for a shared column (inner and left)', () => {
    for (const how of ['inner', 'left'] as const) expectColumns(plain(left.join(regions, { on: 'Origin', how })), C[`join_regions_${how}`]);
  });

  it('many-to-many on a numeric key: each left row with its right matches in right order', () => {
    for (const how of ['inner', 'left'] as const) expectColumns(plain(left.join(cylinders, { on: 'Cylinders', how })), C[`join_cylinders_${how}`]);
  });

  it('defaults to the shared columns; several keys; missing keys match each other as in pandas', () => {
    const a = new Frame({ k: text(['x', 'y', null, 'x']), n: num([1, 2, 3, NaN]), v: num([10, 20, 30, 40]) });
    const b = new Frame({ k: text(['x', null, 'x']), n: num([1, 3, NaN]), w: num([100, 300, 400]) });
    expect(plain(a.join(b))).toEqual({ k: ['x', null, 'x'], n: [1, 3, null], v: [10, 30, 40], w: [100, 300, 400] });
    expect(plain(a.join(b, { on: 'k', how: 'left', suffixes: ['_a', '_b'] }))).toEqual({
      k: ['x', 'x', 'y', null, 'x', 'x'],
      n_a: [1, 1, 2, 3, null, null],
      v: [10, 10, 20, 30, 40, 40],
      n_b: [1, null, null, 3, 1, null],
      w: [100, 400, null, 300, 100, 400],
    });
  });

  it('refuses keys of different types, unknown keys, no shared column and bad options', () => {
    const textCyl = new Frame({ Cylinders: text(['4']), engine: text(['i4']) });
    expect(() => left.join(textCyl, { on: 'Cylinders' })).toThrowError(code('E_DTYPE'));
    expect(() => left.join(textCyl, { on: 'Cylinders' })).toThrowError(/key 'Cylinders' is numeric in this frame and categorical in the other/);
    expect(() => left.join(regions, { on: 'Region' })).toThrowError(/no column "Region"; the frame has Name, Miles_per_Gallon/);
    expect(() => left.join(new Frame({ z: num([1]) }))).toThrowError(code('E_PARAM'));
    expect(() => left.join(regions, { on: 'Origin', how: 'outer' as never })).toThrowError(code('E_PARAM'));
    expect(() => left.join(regions, { on: 'Origin', suffixes: ['_x', '_x'] })).toThrowError(code('E_PARAM'));
    expect(() => left.join({} as Frame, { on: 'Origin' })).toThrowError(code('E_PARAM'));
  });

  it('an empty side gives an empty inner join and a left join of missing values', () => {
    const none = regions.filter([0, 0]);
    expect(left.join(none, { on: 'Origin' }).rows).toBe(0);
    const l = left.join(none, { on: 'Origin', how: 'left' });
    expect(l.rows).toBe(406);
    expect(plain(l).region.every((v) => v === null)).toBe(true);
  });
});
