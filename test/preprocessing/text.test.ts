/** CountVectorizer and TfidfVectorizer against scikit-learn 1.2.1 outputs (computed once, pasted). */
import { describe, expect, it } from 'vitest';
import { CountVectorizer, TfidfVectorizer } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const docs = ['The quick brown fox.', 'The lazy dog; the QUICK dog!', 'Ünïcode wörds and a b c', 'fox fox fox dog', ''];

describe('text vectorisers', () => {
  it('CountVectorizer tokenises, lowercases and counts as scikit-learn does', async () => {
    const c = new CountVectorizer();
    const m = await c.fitTransform(docs);
    expect(c.vocabulary).toEqual(['and', 'brown', 'dog', 'fox', 'lazy', 'quick', 'the', 'wörds', 'ünïcode']);
    expect(m.toArray()).toEqual([
      [0, 1, 0, 1, 0, 1, 1, 0, 0],
      [0, 0, 2, 0, 1, 1, 2, 0, 0],
      [1, 0, 0, 0, 0, 0, 0, 1, 1],
      [0, 0, 1, 3, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    expect((await new CountVectorizer({ ngramRange: [1, 2], minDf: 2 }).fit(docs)).vocabulary).toEqual(['dog', 'fox', 'quick', 'the', 'the quick']);
    expect((await new CountVectorizer({ maxFeatures: 3 }).fit(docs)).vocabulary).toEqual(['dog', 'fox', 'the']);
    expect((await new CountVectorizer({ stopWords: ['the'], binary: true }).fitTransform(['the dog dog'])).toArray()).toEqual([[1]]);
  });

  it("TfidfVectorizer gives scikit-learn's smooth idf and l2-normalised rows", async () => {
    const t = new TfidfVectorizer();
    const m = (await t.fitTransform(docs)).toArray();
    const a = 2.0986122886681096,
      b = 1.6931471805599454;
    Array.from(t.idf).forEach((v, i) => expect(v).toBeCloseTo([a, a, b, b, a, b, b, a, a][i], 14));
    const want = [
      [0, 0.581951497867, 0, 0.469514804215, 0, 0.469514804215, 0.469514804215, 0, 0],
      [0, 0, 0.616149367394, 0, 0.381850629678, 0.308074683697, 0.616149367394, 0, 0],
      [0.57735026919, 0, 0, 0, 0, 0, 0, 0.57735026919, 0.57735026919],
      [0, 0, 0.316227766017, 0.948683298051, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ];
    m.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 11)));
    // unseen words are ignored at transform
    expect((await t.transform(['zebra fox'])).toArray()[0][3]).toBe(1);
  });

  it('rejects bad documents and parameters', async () => {
    await expect(new CountVectorizer().fit([])).rejects.toThrowError(code('E_EMPTY'));
    await expect(new CountVectorizer().fit([1 as never])).rejects.toThrowError(code('E_DTYPE'));
    await expect(new CountVectorizer({ minDf: 10 }).fit(docs)).rejects.toThrowError(code('E_PARAM'));
    expect(() => new CountVectorizer({ ngramRange: [2, 1] })).toThrowError(code('E_PARAM'));
  });
});
