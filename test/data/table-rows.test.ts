/** assign, duplicated/dropDuplicates, dropna, fillna and sortBy against pandas (test/fixtures/pandas/penguins.json). */
import { describe, expect, it } from 'vitest';
import { factorizeKeys, groupKernels, rowGroups } from '../../src/data/ops/factorize.js';
import { hasNative } from '../helpers/backends.js';
import { Frame, Rng } from '../../src/index.js';
import { code, expectColumns, pandasCases, penguins, plain } from '../helpers/pandas-fixtures.js';

const P = pandasCases('penguins');
/** The group kernels run on the CPU backends: the js reference and, where built, native. */
const cpu = hasNative ? (['js', 'native'] as const) : (['js'] as const);
const MASS = 'Body Mass (g)';
/** Row positions of a result, read from a column assigned to hold them. */
const positions = (f: Frame) => Array.from((f.column('row') as { values: Float64Array }).values);
const indices = (mask: Uint8Array) => [...mask.keys()].filter((i) => mask[i]);

describe('table row operations', () => {
  const frame = penguins();
  const numbered = frame.assign('row', (f) => Float64Array.from({ length: f.rows }, (_, i) => i));

  it('assign adds or replaces a column from a column, numbers, text or a function of the frame', () => {
    expect(numbered.columnNames.at(-1)).toBe('row');
    const replaced = frame.assign('Island', (f) => plain(f).Island.map((v) => (v === null ? null : String(v).toUpperCase())));
    expect(replaced.columnNames).toEqual(frame.columnNames);
    expect(replaced.row(0).Island).toBe('TORGERSEN');
    const ratio = frame.assign('ratio', (f) => {
      const m = (f.column(MASS) as { values: Float64Array }).values;
      return m.map((v) => v / 1000);
    });
    expect(ratio.row(0).ratio).toBe(3.75);
    expect(frame.assign('same', frame.column('Sex')).row(3).same).toBe(null);
    expect(() => frame.assign('x', [1, 2, 3])).toThrowError(code('E_LENGTH'));
    expect(() => frame.assign('x', [1, 2, 3])).toThrowError(/column 'x' has 3 rows, the frame has 344/);
    expect(() => frame.assign('x', ['a', 2] as never)).toThrowError(code('E_DTYPE'));
    expect(() => frame.assign('x', { a: 1 } as never)).toThrowError(code('E_DTYPE'));
    expect(() => frame.assign('', [1])).toThrowError(code('E_PARAM'));
  });

  it('duplicated and dropDuplicates keep first, last or none, as pandas', () => {
    for (const backend of cpu)
      for (const keep of ['first', 'last', false] as const) {
        const dup = frame.duplicated(['Species', 'Island'], { keep, backend });
        expect(indices(dup)).toEqual(P[`duplicated_${keep === false ? 'False' : keep}`]);
        const kept = numbered.dropDuplicates(['Species', 'Island'], { keep, backend });
        expect(positions(kept)).toEqual([...Array(344).keys()].filter((i) => !dup[i]));
        expect(indices(frame.duplicated(undefined, { backend }))).toEqual(P.duplicated_all_columns);
      }
    expect(() => frame.duplicated('Wings')).toThrowError(code('E_SHAPE'));
    // whole-row hashing equals the column-by-column factorisation, with NaN, −0 and missing categories among the keys
    const rng = new Rng(5);
    const pick = <T>(xs: T[]) => xs[rng.int(xs.length)];
    const mixed = Frame.fromTable({
      rows: 5000,
      columns: {
        a: Float64Array.from({ length: 5000 }, () => pick([0, -0, 1.5, Number.NaN, 2])),
        b: Array.from({ length: 5000 }, () => pick(['x', 'y', null])),
        c: Float64Array.from({ length: 5000 }, () => pick([Number.NaN, 7, 8])),
      },
    });
    const cols = mixed.columnNames.map((c) => mixed.column(c));
    const byColumns = factorizeKeys(cols, { sort: false, dropna: false });
    for (const backend of cpu) {
      const byRows = rowGroups(cols, groupKernels(backend, 'test'));
      expect(byRows.n).toBe(byColumns.n);
      expect(byRows.codes).toEqual(byColumns.codes);
    }
    expect(() => frame.duplicated(undefined, { keep: 'middle' as never })).toThrowError(code('E_PARAM'));
    expect(() => frame.duplicated(undefined, { backend: 'webgpu' })).toThrowError(code('E_PARAM'));
  });

  it('dropna by any or all over a subset', () => {
    expect(positions(numbered.dropna())).toEqual(P.dropna_any);
    expect(positions(numbered.dropna({ subset: 'Sex' }))).toEqual(P.dropna_sex);
    expect(positions(numbered.dropna({ subset: ['Beak Length (mm)', 'Beak Depth (mm)'], how: 'all' }))).toEqual(P.dropna_all_beak);
    expect(() => frame.dropna({ how: 'some' as never })).toThrowError(code('E_PARAM'));
    expect(() => frame.dropna({ subset: ['Wings'] })).toThrowError(/no column "Wings"/);
  });

  it('fillna with values per column or by forward / backward fill (with a limit)', () => {
    expect(plain(frame.fillna({ method: 'ffill' }))[MASS]).toEqual(P.ffill_mass);
    expect(plain(frame.fillna({ method: 'bfill', subset: 'Sex' })).Sex).toEqual(P.bfill_sex);
    expect(plain(frame.fillna({ method: 'ffill', limit: 1 })).Sex).toEqual(P.ffill_sex_limit1);
    const filled = plain(frame.fillna({ [MASS]: 0, Sex: 'UNKNOWN' }));
    expectColumns({ [MASS]: filled[MASS], Sex: filled.Sex }, P.fill_values);
    const labels = (frame.fillna('UNKNOWN').column('Sex') as { labels: string[] }).labels;
    expect(labels).toEqual(['.', 'FEMALE', 'MALE', 'UNKNOWN']); // a new label joins in sorted place
    expect(plain(frame.fillna(0))[MASS]).toEqual(P.fill_values[MASS]);
    expect(plain(frame.fillna(0)).Sex).toEqual(plain(frame).Sex); // a number leaves text columns alone
    expect(() => frame.fillna({ Sex: 1 })).toThrowError(code('E_DTYPE'));
    expect(() => frame.fillna({ [MASS]: 'heavy' })).toThrowError(code('E_DTYPE'));
    expect(() => frame.fillna({ method: 'ffill', limit: 0 })).toThrowError(code('E_PARAM'));
    expect(() => frame.fillna({ Wings: 1 })).toThrowError(code('E_SHAPE'));
  });

  it('sortBy is stable, per-column direction, missing values last or first', () => {
    expect(positions(numbered.sortBy(['Species', MASS], { ascending: [true, false] }))).toEqual(P.sort_species_mass_desc);
    expect(positions(numbered.sortBy('Sex', { ascending: false, naPosition: 'first' }))).toEqual(P.sort_sex_desc_na_first);
    expect(positions(numbered.sortBy([MASS, 'Beak Length (mm)']))).toEqual(P.sort_mass_beak);
    expect(() => frame.sortBy('Sex', { ascending: [true, false] })).toThrowError(code('E_PARAM'));
    expect(() => frame.sortBy('Sex', { naPosition: 'middle' as never })).toThrowError(code('E_PARAM'));
  });

  it('sortBy orders labels by text even when the labels are not sorted', () => {
    const f = new Frame({ s: { kind: 'categorical', labels: ['b', 'c', 'a'], codes: Int32Array.of(0, 1, 2, -1, 0) } });
    expect(plain(f.sortBy('s')).s).toEqual(['a', 'b', 'b', 'c', null]);
    expect(plain(f.sortBy('s', { ascending: false })).s).toEqual(['c', 'b', 'b', 'a', null]);
  });

  it('an empty frame passes through every operation', () => {
    const empty = numbered.filter(new Uint8Array(344));
    expect(empty.sortBy(MASS).rows).toBe(0);
    expect(empty.dropna().rows).toBe(0);
    expect(empty.dropDuplicates().rows).toBe(0);
    expect(empty.fillna({ method: 'bfill' }).rows).toBe(0);
    expect(empty.valueCounts('Island').rows).toBe(0);
    expect(() => empty.crosstab('Species', 'Island')).toThrowError(code('E_SHAPE'));
  });
});
