import { describe, expect, it } from 'vitest';
import { DummyClassifier, DummyRegressor, MultinomialNB } from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const X = [
  [2, 1, 0, 3],
  [0, 0, 4, 1],
  [1, 3, 1, 0],
  [5, 0, 0, 2],
  [0, 2, 2, 2],
];
const y = [0, 1, 0, 1, 2];

describe('MultinomialNB', () => {
  it('matches scikit-learn 1.2 (values computed with it on this data)', async () => {
    const m = await new MultinomialNB({ alpha: 0.5 }).fit(X, y);
    const flp = [
      [-1.3121863889661687, -1.0608719606852628, -2.1594842493533726, -1.3121863889661687],
      [-0.9343092373768331, -3.332204510175204, -1.1349799328389845, -1.3862943611198904],
      [-2.772588722239781, -1.1631508098056806, -1.1631508098056806, -1.1631508098056806],
    ];
    m.featureLogProb.toArray().forEach((row, k) => row.forEach((v, c) => expect(v).toBeCloseTo(flp[k][c], 12)));
    expect(Array.from(m.classLogPrior)).toEqual([Math.log(0.4), Math.log(0.4), Math.log(0.2)].map((v) => expect.closeTo(v, 12)));
    const p = (
      await m.predictProba([
        [1, 1, 1, 1],
        [3, 0, 0, 0],
      ])
    ).toArray();
    const want = [
      [0.5817869304856201, 0.22656802440649484, 0.19164504510788488],
      [0.24312126087339722, 0.7553579852939829, 0.0015207538326201886],
    ];
    p.forEach((row, r) => row.forEach((v, k) => expect(v).toBeCloseTo(want[r][k], 12)));
    expect(await m.predict([[3, 0, 0, 0]])).toEqual([1]);
  });

  it('rejects negative counts', async () => {
    await expect(new MultinomialNB().fit([[1, -1]], [0])).rejects.toThrowError(code('E_PARAM'));
  });
});

describe('Dummy estimators', () => {
  it('classifier strategies', async () => {
    const prior = await new DummyClassifier().fit(X, y);
    expect((await prior.predictProba([[0, 0, 0, 0]])).toArray()).toEqual([[0.4, 0.4, 0.2]]);
    expect(await prior.predict([[0, 0, 0, 0]])).toEqual([0]); // first of the tied most frequent
    const constant = await new DummyClassifier({ strategy: 'constant', constant: 2 }).fit(X, y);
    expect(await constant.predict([[0], [1]])).toEqual([2, 2]);
    const strat = await new DummyClassifier({ strategy: 'stratified', randomState: 3 }).fit(X, y);
    const draws = await strat.predict(Array.from({ length: 5000 }, () => [0]));
    expect(Math.abs(draws.filter((v) => v === 2).length / 5000 - 0.2)).toBeLessThan(0.03);
    await expect(new DummyClassifier({ strategy: 'constant', constant: 9 }).fit(X, y)).rejects.toThrowError(code('E_PARAM'));
  });

  it('regressor strategies (numpy quantiles)', async () => {
    const t = [1, 5, 2, 8, 3];
    expect(Array.from((await (await new DummyRegressor().fit(X, t)).predict([[0]])) as Float64Array)).toEqual([3.8]);
    expect(Array.from((await (await new DummyRegressor({ strategy: 'median' }).fit(X, t)).predict([[0]])) as Float64Array)).toEqual([3]);
    const q = await new DummyRegressor({ strategy: 'quantile', quantile: 0.3 }).fit(X, t);
    expect(((await q.predict([[0]])) as Float64Array)[0]).toBeCloseTo(2.2, 12);
    expect(await (await new DummyRegressor().fit(X, t)).score(X, t)).toBe(0);
    expect(() => new DummyRegressor({ strategy: 'quantile' })).toThrowError(code('E_PARAM'));
  });
});
