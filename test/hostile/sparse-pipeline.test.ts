/**
 * Sparse CSR output (TF-IDF, counts, one-hot) feeds the models scikit-learn accepts it for:
 * linear models, naive Bayes and k-NN give exactly what they give on the same data dense,
 * Pipeline(TfidfVectorizer → LogisticRegression) fits, predicts and survives a model file,
 * and a CSR too large to densify is E_ALLOC, not an out-of-memory crash.
 */
import { describe, expect, it } from 'vitest';
import {
  CountVectorizer,
  CsrMatrix,
  decodeModel,
  encodeModel,
  GaussianNB,
  KNeighborsClassifier,
  LinearSVC,
  LogisticRegression,
  MultinomialNB,
  OneHotEncoder,
  Pipeline,
  Ridge,
  SGDClassifier,
  TfidfVectorizer,
} from '../../src/index.js';

const docs = Array.from(
  { length: 60 },
  (_, i) => `${['the red fox jumps over the fence', 'a blue hen sits in the barn', 'red hens and red foxes', 'the barn is blue'][i % 4]} note${i % 7}`,
);
const labels = docs.map((d) => (d.includes('red') ? 'red' : 'blue'));
const target = docs.map((d, i) => d.length / 10 + (i % 3));

type Model = { fit(X: unknown, y: unknown): Promise<unknown>; predict(X: unknown): Promise<unknown> };

describe('CSR input gives the dense result', () => {
  const cases: [string, () => Model, 'labels' | 'target'][] = [
    ['LogisticRegression', () => new LogisticRegression({ C: 10 }), 'labels'],
    ['SGDClassifier', () => new SGDClassifier({ randomState: 3 }), 'labels'],
    ['LinearSVC', () => new LinearSVC(), 'labels'],
    ['Ridge', () => new Ridge({ alpha: 0.3 }), 'target'],
    ['MultinomialNB', () => new MultinomialNB(), 'labels'],
    ['GaussianNB', () => new GaussianNB(), 'labels'],
    ['KNeighborsClassifier', () => new KNeighborsClassifier({ nNeighbors: 3 }), 'labels'],
  ];
  it.each(cases)('%s', async (_, make, kind) => {
    const counts = await new CountVectorizer().fitTransform(docs);
    expect(counts).toBeInstanceOf(CsrMatrix);
    const y = kind === 'labels' ? labels : target;
    const sparse = make(),
      dense = make();
    await sparse.fit(counts, y);
    await dense.fit(counts.toDense(), y);
    const probe = await new CountVectorizer().fit(docs).then((v) => v.transform(['red barn', 'blue fox note3', 'nothing known']));
    expect(await sparse.predict(probe)).toEqual(await dense.predict(probe.toDense()));
    expect(await sparse.predict(counts)).toEqual(await dense.predict(counts.toDense()));
  });

  it('one-hot CSR into a linear model', async () => {
    const cats = docs.map((d) => [d.split(' ')[1], d.slice(-5)]);
    const X = await new OneHotEncoder({ sparseOutput: true }).fitTransform(cats);
    const a = await new LogisticRegression().fit(X, labels),
      b = await new LogisticRegression().fit((X as CsrMatrix).toDense(), labels);
    expect(Array.from(a.coef.data)).toEqual(Array.from(b.coef.data));
  });
});

describe('Pipeline(TfidfVectorizer → LogisticRegression)', () => {
  it('fits, predicts, and round-trips a model file', async () => {
    const pipe = new Pipeline([
      ['tfidf', new TfidfVectorizer()],
      ['clf', new LogisticRegression({ C: 5 })],
    ]);
    await pipe.fit(docs, labels);
    const pred = (await pipe.predict(docs)) as string[];
    expect(pred.filter((p, i) => p === labels[i]).length).toBe(docs.length); // separable by the word 'red'
    expect(await pipe.predict(['a red fox', 'blue barn'])).toEqual(['red', 'blue']);
    const { model } = await decodeModel<Pipeline>((await encodeModel(pipe)).bytes);
    expect(await model.predict(docs)).toEqual(pred);
    expect(await model.predictProba(['red red red'])).toEqual(await pipe.predictProba(['red red red']));
  });
});

describe('densifying is bounded', () => {
  it('a CSR too wide to densify is E_ALLOC naming the argument, before any allocation', async () => {
    const huge = new CsrMatrix(Int32Array.of(0, 1, 1), Int32Array.of(5), Float64Array.of(1), 2, 2 ** 28);
    const err = await new LogisticRegression().fit(huge, ['a', 'b']).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_ALLOC' });
    expect((err as Error).message).toMatch(/LogisticRegression\.fit: X is a sparse 2 × 268435456 matrix.*maxFeatures/);
    await expect(new MultinomialNB().fit(huge, ['a', 'b'])).rejects.toMatchObject({ code: 'E_ALLOC' });
    await expect(new KNeighborsClassifier({ nNeighbors: 1 }).fit(huge, ['a', 'b'])).rejects.toMatchObject({ code: 'E_ALLOC' });
  });
});
