/**
 * A Frame's categorical columns reach OneHotEncoder and OrdinalEncoder as codes (ColumnTransformer passes them as
 * CategoryColumns' `coded`): the fit and the output must be those of the same columns as strings —
 * categories, layouts, unknown and missing handling, errors — and steps that read values still get strings.
 */
import { describe, expect, it } from 'vitest';
import { ColumnTransformer, CsrMatrix, Frame, type Matrix, OneHotEncoder, OrdinalEncoder, Pipeline, SimpleImputer, StandardScaler } from '../../src/index.js';
import type { CategoryColumns } from '../../src/preprocessing/encoders.js';

const dense = (m: Matrix | CsrMatrix) => (m instanceof CsrMatrix ? m.toDense().toArray() : m.toArray());

/** Strings as CategoryColumns twice: plain, and with the codes of a Frame's categorical column beside them. */
function bothWays(cols: (string | null)[][]): [CategoryColumns, CategoryColumns] {
  const f = Frame.fromTable({ rows: cols[0].length, columns: Object.fromEntries(cols.map((c, j) => [`c${j}`, c])) });
  const coded = cols.map((_, j) => {
    const c = f.column(`c${j}`);
    if (c.kind !== 'categorical') throw new Error('categorical expected');
    return { codes: c.codes, labels: c.labels };
  });
  let reads = 0;
  const withCodes = {
    coded,
    get columns() {
      reads++;
      return cols;
    },
  };
  Object.defineProperty(withCodes, 'reads', { get: () => reads });
  return [{ columns: cols }, withCodes];
}

describe('OneHotEncoder on coded columns', () => {
  const a = ['x', 'y', null, 'x', 'z', 'y', 'x'];
  const b = ['p', 'q', 'q', null, 'p', 'p', 'q'];

  for (const params of [
    { sparseOutput: true },
    { sparseOutput: false, drop: 'first' as const },
    { drop: 'if_binary' as const, handleUnknown: 'ignore' as const },
    { minFrequency: 2, handleUnknown: 'infrequent_if_exist' as const },
    { maxCategories: 2 },
  ]) {
    it(`the same categories and output as the strings: ${JSON.stringify(params)}`, async () => {
      const [plain, coded] = bothWays([a, b]);
      const p = new OneHotEncoder(params),
        q = new OneHotEncoder(params);
      const want = await p.fitTransform(plain);
      const got = await q.fitTransform(coded);
      expect(q.categories).toEqual(p.categories);
      expect(q.featureNamesOut(['a', 'b'])).toEqual(p.featureNamesOut(['a', 'b']));
      expect(dense(got)).toEqual(dense(want));
      expect(got.constructor).toBe(want.constructor);
      // codes fitted, strings transformed, and the other way round
      expect(dense(await q.transform(plain))).toEqual(dense(want));
      expect(dense(await p.transform(coded))).toEqual(dense(want));
      const readsCodes = params.minFrequency === undefined && params.maxCategories === undefined;
      if (readsCodes) expect((coded as unknown as { reads: number }).reads).toBe(0);
    });
  }

  it('unknown labels and missing values not seen at fit: ignored, or the error naming the first cell', async () => {
    const [fitPlain, fitCoded] = bothWays([['x', 'y', 'x']]);
    const [plain, coded] = bothWays([['y', 'w', null]]);
    const ignore = new OneHotEncoder({ handleUnknown: 'ignore' });
    await ignore.fit(fitCoded);
    expect(dense(await ignore.transform(coded))).toEqual([
      [0, 1],
      [0, 0],
      [0, 0],
    ]);
    const strict = new OneHotEncoder();
    await strict.fit(fitPlain);
    const e1 = await strict.transform(plain).catch((e) => e);
    const e2 = await strict.transform(coded).catch((e) => e);
    expect(e2.message).toBe(e1.message);
    expect(e2.message).toMatch(/X\[1\]\[0\] = "w" was not seen at fit/);
    const [, missingOnly] = bothWays([['x', null]]);
    await expect(strict.transform(missingOnly)).rejects.toThrowError(/X\[1\]\[0\] = null was not seen at fit/);
  });

  it('refuses codes outside the labels and a column count unlike the fit', async () => {
    const enc = new OneHotEncoder();
    await expect(enc.fit({ columns: [['a']], coded: [{ codes: Int32Array.of(0, 3), labels: ['a'] }] })).rejects.toThrowError(
      /code 3 at row 1, outside its 1 labels/,
    );
    const [, coded] = bothWays([['x', 'y']]);
    await enc.fit(coded);
    const [, two] = bothWays([
      ['x', 'y'],
      ['x', 'x'],
    ]);
    await expect(enc.transform(two)).rejects.toThrowError(/X has 2 columns but the encoder was fitted with 1/);
  });
});

describe('OrdinalEncoder on coded columns', () => {
  const a = ['x', 'y', null, 'x', 'z', 'y', 'x'];
  const b = ['p', 'q', 'q', null, 'p', 'p', 'q'];
  for (const params of [
    {},
    { encodedMissingValue: -1 },
    {
      categories: [
        ['z', 'y', 'x'],
        ['q', 'p'],
      ],
    },
  ]) {
    it(`the same categories and codes as the strings, without reading them: ${JSON.stringify(params)}`, async () => {
      const [plain, coded] = bothWays([a, b]);
      const p = new OrdinalEncoder(params),
        q = new OrdinalEncoder(params);
      const want = await p.fitTransform(plain);
      const got = await q.fitTransform(coded);
      expect(q.categories).toEqual(p.categories);
      expect(got.toArray()).toEqual(want.toArray());
      expect((await p.transform(coded)).toArray()).toEqual(want.toArray());
      expect((coded as unknown as { reads: number }).reads).toBe(0);
    });
  }

  it('unknown labels: the encoded value, or the error the strings give; listed categories are enforced', async () => {
    const [fit] = bothWays([['x', 'y']]);
    const [plain, coded] = bothWays([['y', 'w', null]]);
    const loose = new OrdinalEncoder({ handleUnknown: 'use_encoded_value', unknownValue: -9 });
    await loose.fit(fit);
    expect((await loose.transform(coded)).toArray()).toEqual([[1], [-9], [NaN]]);
    const strict = new OrdinalEncoder();
    await strict.fit(fit);
    const e1 = await strict.transform(plain).catch((e) => e);
    const e2 = await strict.transform(coded).catch((e) => e);
    expect(e2.message).toBe(e1.message);
    const [, unlisted] = bothWays([['x', 'w']]);
    await expect(new OrdinalEncoder({ categories: [['x']] }).fit(unlisted)).rejects.toThrowError(/column 0 has "w", not in its categories/);
  });
});

describe('ColumnTransformer on a Frame', () => {
  it('the output of the same table as strings; value-reading steps (imputer, ordinal) get strings', async () => {
    const n = 500;
    const city = Array.from({ length: n }, (_, i) => (i % 17 === 0 ? null : ['Oslo', 'Lima', 'Pune', 'Baku'][(i * 7) % 4]));
    const kind = Array.from({ length: n }, (_, i) => ['a', 'b', 'c'][(i * 5) % 3]);
    const x = Float64Array.from({ length: n }, (_, i) => (i % 23 === 0 ? NaN : Math.sin(i) * 10));
    const table = { rows: n, columns: { x, city, kind } };
    const frame = Frame.fromTable(table);
    const make = () =>
      new ColumnTransformer([
        [
          'num',
          new Pipeline([
            ['imp', new SimpleImputer()],
            ['scale', new StandardScaler()],
          ]),
          { dtype: 'number' },
        ],
        ['oh', new OneHotEncoder({ handleUnknown: 'ignore', sparseOutput: true }), ['city', 'kind']],
        [
          'ord',
          new Pipeline([
            ['imp', new SimpleImputer({ strategy: 'most_frequent' })],
            ['enc', new OrdinalEncoder()],
          ]),
          { dtype: 'string' },
        ],
      ]);
    const want = await make().fitTransform(table);
    const ct = make();
    const got = await ct.fitTransform(frame);
    expect(dense(got)).toEqual(dense(want));
    expect(dense(await ct.transform(table))).toEqual(dense(want));
    expect(dense(await ct.transform(frame.head(3)))).toEqual(dense(want).slice(0, 3));
  });
});
