/** groupBy, valueCounts and crosstab against pandas 1.5 (test/fixtures/pandas) on penguins, cars and seattle-weather. */
import { describe, expect, it } from 'vitest';
import { Frame } from '../../src/index.js';
import { cars, code, expectColumns, pandasCases, penguins, plain, seattle } from '../helpers/pandas-fixtures.js';

const AGGS = ['mean', 'std', 'var', 'sum', 'count', 'min', 'max', 'median', 'nunique', 'first', 'last'] as const;
const P = pandasCases('penguins');
const MASS = 'Body Mass (g)',
  BEAK = 'Beak Length (mm)';

describe('groupBy().agg', () => {
  const frame = penguins();

  it('every aggregation of numeric and text columns matches pandas (sorted keys, NaN skipped, ddof 1)', () => {
    const out = frame.groupBy('Species').agg({ [MASS]: [...AGGS], [BEAK]: [...AGGS], Sex: ['count', 'nunique', 'first', 'last', 'min', 'max'] });
    expectColumns(plain(out), P.agg_species);
    expect(out.column(`${MASS}_count`).kind).toBe('numeric');
    expect(out.column('Sex_first').kind).toBe('categorical');
  });

  it('two keys: rows with a missing key left out, sorted or in order of first appearance', () => {
    expectColumns(plain(frame.groupBy(['Species', 'Sex']).agg({ [MASS]: ['mean', 'count'], [BEAK]: 'median' })), P.agg_species_sex);
    expectColumns(plain(frame.groupBy(['Species', 'Sex'], { sort: false }).agg({ [MASS]: ['mean', 'count'] })), P.agg_species_sex_unsorted);
  });

  it('dropna: false keeps the missing key as the last group; size counts rows', () => {
    expectColumns(plain(frame.groupBy('Sex', { dropna: false }).agg({ [MASS]: ['mean', 'std', 'count'] })), P.agg_sex_keep_missing);
    expectColumns(plain(frame.groupBy(['Island', 'Sex'], { dropna: false }).size()), P.size_island_sex);
  });

  it('numeric keys and missing values on cars; text keys on seattle-weather', async () => {
    const C = pandasCases('cars');
    const out = cars()
      .groupBy(['Origin', 'Cylinders'])
      .agg({ Horsepower: [...AGGS], Miles_per_Gallon: ['mean', 'std', 'count', 'median'] });
    expectColumns(plain(out), C.agg_origin_cylinders);
    expectColumns(plain(cars().groupBy('Year').size()), C.size_year);
    const S = pandasCases('seattle-weather');
    const w = (await seattle())
      .groupBy('weather')
      .agg({ precipitation: ['mean', 'sum', 'max', 'median'], temp_max: ['mean', 'std', 'min'], wind: ['nunique', 'first', 'last'] });
    expectColumns(plain(w), S.agg_weather);
  });

  it('a group whose values are all missing: NaN mean/std/min/median, 0 sum/count/nunique (pandas)', () => {
    const M = pandasCases('all-missing-group');
    const f = new Frame({
      g: { kind: 'categorical', labels: ['a', 'b', 'c'], codes: Int32Array.from(M.input.g as string[], (s) => 'abc'.indexOf(s)) },
      v: { kind: 'numeric', values: Float64Array.from(M.input.v as (number | null)[], (v) => v ?? NaN) },
    });
    expectColumns(plain(f.groupBy('g').agg({ v: [...AGGS] })), M.agg);
    expectColumns({ t: plain(f.assign('t', f.groupBy('g').transform('v', 'mean'))).t }, { t: M.transform_mean });
  });

  it('dates keep their type through min/max/mean; booleans average to numbers', () => {
    const f = new Frame({
      k: { kind: 'numeric', values: Float64Array.of(1, 1, 2) },
      d: { kind: 'datetime', values: Float64Array.of(0, 86_400_000, 5) },
      b: { kind: 'boolean', values: Float64Array.of(1, 0, NaN) },
    });
    const out = f.groupBy('k').agg({ d: ['min', 'max', 'mean'], b: ['mean', 'max'] });
    expect(out.column('d_mean')).toEqual({ kind: 'datetime', values: Float64Array.of(43_200_000, 5) });
    expect(out.column('b_mean').kind).toBe('numeric');
    expect(out.column('b_max').kind).toBe('boolean');
    expect(() => f.groupBy('k').agg({ d: 'sum' })).toThrowError(code('E_DTYPE'));
  });

  it('transform puts group statistics back on the rows (aggregation names and functions)', () => {
    const g = frame.groupBy('Species');
    const col = (c: ReturnType<typeof g.transform>) => plain(frame.assign('t', c)).t;
    expectColumns({ t: col(g.transform(MASS, 'mean')) }, { t: P.transform_mean });
    expectColumns({ t: col(g.transform(MASS, 'std')) }, { t: P.transform_std });
    expectColumns({ t: col(g.transform(MASS, (v) => v.map((x) => x - mean(v)))) }, { t: P.transform_centered });
    expectColumns({ t: col(frame.groupBy('Sex').transform(MASS, 'count')) }, { t: P.transform_sex_count });
    expect(() => g.transform(MASS, () => [1, 2])).toThrowError(code('E_LENGTH'));
    expect(() => g.transform('Island', () => 1)).toThrowError(code('E_DTYPE'));
  });

  it('exposes the group ids of the rows and the number of groups', () => {
    const g = frame.groupBy('Island');
    expect(g.ngroups).toBe(3);
    expect(g.groupIds.length).toBe(344);
    expect(g.groupIds[0]).toBe(2); // Torgersen, third in sorted order
  });

  it('refuses unknown columns (naming them and listing the valid ones), unknown and misapplied aggregations', () => {
    expect(() => frame.groupBy('Wings')).toThrowError(/groupBy: no column "Wings"; the frame has Species, Island/);
    expect(() => frame.groupBy('Wings')).toThrowError(code('E_SHAPE'));
    expect(() => frame.groupBy([])).toThrowError(code('E_SHAPE'));
    expect(() => frame.groupBy('Species').agg({ Wings: 'mean' })).toThrowError(/no column "Wings"/);
    expect(() => frame.groupBy('Species').agg({ [MASS]: 'avg' as never })).toThrowError(code('E_PARAM'));
    expect(() => frame.groupBy('Species').agg({ Island: 'mean' })).toThrowError(code('E_DTYPE'));
    expect(() => frame.groupBy('Species').agg({})).toThrowError(code('E_PARAM'));
    expect(() => frame.groupBy('Species').agg({ Species: 'count' })).toThrowError(code('E_PARAM'));
    expect(() => frame.groupBy('Species', { order: 1 } as never)).toThrowError(code('E_PARAM'));
  });

  it('an empty frame gives no groups', () => {
    const empty = frame.filter(new Uint8Array(344));
    const out = empty.groupBy('Species').agg({ [MASS]: ['mean', 'count'] });
    expect(out.rows).toBe(0);
    expect(out.columnNames).toEqual(['Species', `${MASS}_mean`, `${MASS}_count`]);
  });
});

describe('valueCounts and crosstab', () => {
  const frame = penguins();

  it('valueCounts matches pandas: most frequent first, ties in order of first appearance', () => {
    expectColumns(plain(frame.valueCounts('Island')), P.vc_island);
    expectColumns(plain(frame.valueCounts('Sex', { dropna: false })), P.vc_sex_keep_missing);
    expectColumns(plain(frame.valueCounts('Species', { normalize: true })), P.vc_species_normalize);
    expectColumns(plain(frame.valueCounts('Flipper Length (mm)')), P.vc_flipper);
    expectColumns(plain(frame.valueCounts(['Species', 'Island'])), P.vc_species_island);
    expectColumns(plain(cars().valueCounts('Cylinders')), pandasCases('cars').vc_cylinders);
    const asc = plain(frame.valueCounts('Island', { ascending: true }));
    expect(asc.count).toEqual([52, 124, 168]);
    expect(plain(frame.valueCounts('Island', { sort: false })).Island).toEqual(['Torgersen', 'Biscoe', 'Dream']);
  });

  it('crosstab matches pandas for every normalize, with and without margins', () => {
    for (const normalize of [false, 'all', 'index', 'columns'] as const)
      for (const margins of [false, true]) {
        const out = frame.crosstab('Species', 'Island', { normalize, margins });
        expectColumns(plain(out), P[`crosstab_${normalize === false ? 'False' : normalize}_${margins ? 'True' : 'False'}`]);
      }
    expectColumns(plain(frame.crosstab('Island', 'Sex')), P.crosstab_sex);
  });

  it('refuses bad options and unknown columns', () => {
    expect(() => frame.valueCounts('Wings')).toThrowError(code('E_SHAPE'));
    expect(() => frame.valueCounts('Island', { normalise: true } as never)).toThrowError(code('E_PARAM'));
    expect(() => frame.crosstab('Species', 'Island', { normalize: 'rows' as never })).toThrowError(code('E_PARAM'));
    expect(() => frame.crosstab('Species', 'Species')).toThrowError(code('E_PARAM'));
    expect(() => frame.crosstab('Species', 'Wings')).toThrowError(/no column "Wings"/);
  });
});

function mean(v: Float64Array): number {
  let s = 0,
    n = 0;
  for (const x of v)
    if (!Number.isNaN(x)) {
      s += x;
      n++;
    }
  return s / n;
}
