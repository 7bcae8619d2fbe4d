/**
 * OneHotEncoder and OrdinalEncoder take missing values as scikit-learn 1.2 does: missing
 * (null, undefined, NaN) is a category of its own, sorted last, named `<col>_nan`; the ordinal
 * encoder passes it through (encodedMissingValue, NaN by default) and takes an explicit order.
 * Expected arrays are written out from scikit-learn 1.2's documented behaviour.
 */
import { describe, expect, it } from 'vitest';
import { CsrMatrix, decodeModel, encodeModel, FrequencyEncoder, Matrix, OneHotEncoder, OrdinalEncoder } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
// one string column with null and NaN missing, one numeric column with NaN
const X = [
  ['b', 1],
  [null, NaN],
  ['a', 3],
  ['b', 1],
  [NaN, 3],
] as unknown as (string | number)[][];

describe('OneHotEncoder with missing values', () => {
  it('makes missing its own category, sorted last, named <col>_nan', async () => {
    const enc = new OneHotEncoder();
    const out = (await enc.fitTransform(X)) as Matrix;
    expect(enc.categories).toEqual([
      ['a', 'b', null],
      [1, 3, null],
    ]);
    expect(enc.featureNamesOut(['letter', 'num'])).toEqual(['letter_a', 'letter_b', 'letter_nan', 'num_1', 'num_3', 'num_nan']);
    expect(out.toArray()).toEqual([
      [0, 1, 0, 1, 0, 0],
      [0, 0, 1, 0, 0, 1],
      [1, 0, 0, 0, 1, 0],
      [0, 1, 0, 1, 0, 0],
      [0, 0, 1, 0, 1, 0],
    ]);
    // undefined is missing too; sparse output holds the same ones
    const sparse = await new OneHotEncoder({ sparseOutput: true }).fit(X).then((e) => e.transform([[undefined, 1]] as unknown as string[][]));
    expect(sparse).toBeInstanceOf(CsrMatrix);
    expect(Array.from((sparse as unknown as CsrMatrix).indices)).toEqual([2, 3]);
  });

  it('missing not seen at fit is an unknown category', async () => {
    const enc = await new OneHotEncoder().fit([['a'], ['b']]);
    await expect(enc.transform([[null]] as unknown as string[][])).rejects.toThrowError(code('E_PARAM'));
    const lenient = await new OneHotEncoder({ handleUnknown: 'ignore' }).fit([['a'], ['b']]);
    expect(((await lenient.transform([[null]] as unknown as string[][])) as Matrix).toArray()).toEqual([[0, 0]]);
  });

  it('a fitted encoder with a missing category survives a model file', async () => {
    const enc = await new OneHotEncoder().fit(X);
    const { model } = await decodeModel<OneHotEncoder>((await encodeModel(enc)).bytes);
    expect(((await model.transform(X)) as Matrix).toArray()).toEqual(((await enc.transform(X)) as Matrix).toArray());
  });
});

describe('OrdinalEncoder with missing values and explicit categories', () => {
  it('passes missing through as NaN by default, or as encodedMissingValue', async () => {
    const enc = new OrdinalEncoder();
    const out = (await enc.fitTransform(X)) as Matrix;
    expect(enc.categories).toEqual([
      ['a', 'b', null],
      [1, 3, null],
    ]);
    expect(out.toArray()).toEqual([
      [1, 0],
      [NaN, NaN],
      [0, 1],
      [1, 0],
      [NaN, 1],
    ]);
    const coded = (await new OrdinalEncoder({ encodedMissingValue: -1 }).fitTransform(X)) as Matrix;
    expect(coded.toArray()).toEqual([
      [1, 0],
      [-1, -1],
      [0, 1],
      [1, 0],
      [-1, 1],
    ]);
    expect(await enc.inverseTransform(out)).toEqual([
      ['b', 1],
      [null, null],
      ['a', 3],
      ['b', 1],
      [null, 3],
    ]);
  });

  it('codes categories in the order given', async () => {
    const enc = new OrdinalEncoder({ categories: [['low', 'mid', 'high']] });
    const out = (await enc.fitTransform([['mid'], ['high'], ['low'], [null]] as unknown as string[][])) as Matrix;
    expect(out.toArray()).toEqual([[1], [2], [0], [NaN]]);
    expect(await enc.inverseTransform(Matrix.from([[2], [0]]))).toEqual([['high'], ['low']]);
    await expect(new OrdinalEncoder({ categories: [['low', 'high']] }).fit([['mid']])).rejects.toThrow(/column 0 has "mid", not in its categories/);
    await expect(new OrdinalEncoder({ categories: [['a'], ['b']] }).fit([['a']])).rejects.toThrowError(code('E_SHAPE'));
    expect(() => new OrdinalEncoder({ categories: [['a', 'a']] })).toThrowError(code('E_PARAM'));
  });

  it('encoders without a missing-value rule still refuse missing values', async () => {
    await expect(new FrequencyEncoder().fit([['a'], [null]] as unknown as string[][])).rejects.toThrowError(code('E_DTYPE'));
    await expect(new OneHotEncoder().fit([['a'], [Infinity]])).rejects.toThrowError(code('E_DTYPE'));
  });
});
