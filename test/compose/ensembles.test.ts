/**
 * The ensembles' contract beyond parity: member names and weights checked (E_PARAM naming the
 * fix), 'name__param' paths into the members, clones that share no member, fitted members that
 * are clones (the given estimators stay unfitted), 'drop', stackMethod 'auto' and 'prefit',
 * Bagging's draws and out-of-bag refusals, AdaBoost's early stop and staged outputs.
 */
import { describe, expect, it } from 'vitest';
import {
  AdaBoostClassifier,
  BaggingClassifier,
  BaggingRegressor,
  clone,
  crossValScore,
  deepParams,
  DecisionTreeClassifier,
  GaussianNB,
  KNeighborsClassifier,
  LinearSVC,
  LogisticRegression,
  Pipeline,
  Ridge,
  StackingClassifier,
  StackingRegressor,
  StandardScaler,
  VotingClassifier,
  VotingRegressor,
  validationCurve,
} from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const X = Array.from({ length: 60 }, (_, i) => [Math.sin(i) * 2, (i % 7) - 3, Math.cos(i * 0.7)]);
const y = X.map((r) => (r[0] + 0.5 * r[1] > 0 ? 'yes' : r[2] > 0.3 ? 'maybe' : 'no'));
const y2 = X.map((r) => (r[0] + 0.5 * r[1] > 0 ? 1 : 0));
const yReg = X.map((r) => r[0] * 2 - r[1] + 0.3 * r[2]);
const members = (): [string, unknown][] => [
  ['lr', new LogisticRegression()],
  ['nb', new GaussianNB()],
];

describe('member checks', () => {
  it('refuses duplicate, empty, path-like and parameter-clashing names, and all-drop', async () => {
    const lr = new LogisticRegression();
    for (const estimators of [
      [
        ['a', lr],
        ['a', new GaussianNB()],
      ],
      [['', lr]],
      [['a__b', lr]],
      [['weights', lr]],
      [['a', 'drop']],
      [['a', 42]],
    ])
      expect(() => new VotingClassifier({ estimators: estimators as never })).toThrowError(code('E_PARAM'));
    // an empty list constructs (as every estimator does with its defaults) and fit refuses it
    await expect(new VotingClassifier({ estimators: [] }).fit([[1], [2]], ['a', 'b'])).rejects.toThrow(/estimators is empty/);
    await expect(new StackingRegressor({ estimators: [] }).fit([[1], [2]], [1, 2])).rejects.toThrowError(code('E_PARAM'));
    expect(
      () =>
        new VotingClassifier({
          estimators: [
            ['a', lr],
            ['a', lr],
          ],
        }),
    ).toThrow(/'a' is used twice/);
  });

  it('refuses weights of the wrong length, and soft voting with a member lacking predictProba', () => {
    expect(() => new VotingRegressor({ estimators: [['r', new Ridge()]], weights: [1, 2] })).toThrow(/weights has 2 entries but there are 1 estimators/);
    expect(() => new VotingClassifier({ estimators: [['svc', new LinearSVC()]], voting: 'soft' })).toThrow(
      /soft voting needs predictProba, which estimator 'svc' lacks/,
    );
    expect(() => new VotingClassifier({ estimators: [['svc', new LinearSVC()]], voting: 'soft' })).toThrowError(code('E_PARAM'));
    // the same refusal when a setParams would bring it about, and nothing changes
    const v = new VotingClassifier({ estimators: [['svc', new LinearSVC()]] });
    expect(() => v.setParams({ voting: 'soft' })).toThrowError(code('E_PARAM'));
    expect(v.getParams().voting).toBe('hard');
  });

  it('stackMethod names a method every member has', () => {
    expect(() => new StackingClassifier({ estimators: [['nb', new GaussianNB()]], stackMethod: 'decisionFunction' })).toThrow(
      /estimator 'nb' has no decisionFunction/,
    );
    expect(() => new StackingClassifier({ estimators: [['lr', new LogisticRegression()]], cv: 1 as never })).toThrowError(code('E_PARAM'));
  });
});

describe('parameters by path, clones', () => {
  it('getParams is shallow; deepParams lists the members and their parameters by name', () => {
    const v = new VotingClassifier({ estimators: members(), voting: 'soft' });
    const deep = deepParams(v as never);
    expect(deep.lr).toBe(v.getParams().estimators[0][1]);
    expect(deep.lr__C).toBe(1);
    expect(deep.nb__varSmoothing).toBeDefined();
    expect('lr__C' in v.getParams()).toBe(false);
  });

  it("setParams: 'name__param', a member replaced or dropped by name, own parameters; unknown names refused", () => {
    const v = new VotingClassifier({ estimators: members(), voting: 'soft' });
    v.setParams({ lr__C: 0.25, weights: [2, 1] });
    expect((v.getParams().estimators[0][1] as LogisticRegression).getParams().C).toBe(0.25);
    v.setParams({ nb: 'drop' });
    expect(v.getParams().estimators[1]).toEqual(['nb', 'drop']);
    expect(() => v.setParams({ svm__C: 1 })).toThrowError(code('E_PARAM'));
    expect(() => v.setParams({ lr__nope: 1 })).toThrowError(code('E_PARAM'));
    // a bad path changes nothing, not even the keys before it
    expect(() => v.setParams({ weights: [5, 5], lr__C: 7, lr__nope: 1 })).toThrowError(code('E_PARAM'));
    expect(v.getParams().weights).toEqual([2, 1]);
    expect((v.getParams().estimators[0][1] as LogisticRegression).getParams().C).toBe(0.25);
    expect(() => v.setParams({ nb__varSmoothing: 1 })).toThrow(/'nb' is 'drop'/);
    const s = new StackingClassifier({ estimators: members(), finalEstimator: new LogisticRegression() });
    s.setParams({ finalEstimator__C: 3, lr__C: 2 });
    expect((s.getParams().finalEstimator as LogisticRegression).getParams().C).toBe(3);
    // and through a Pipeline
    const p = new Pipeline([
      ['scale', new StandardScaler()],
      ['vote', new VotingClassifier({ estimators: members() })],
    ]);
    p.setParams({ vote__lr__C: 5 });
    expect((p.getParams().vote__lr as LogisticRegression).getParams().C).toBe(5);
  });

  it('clone shares no member; fit leaves the given members unfitted', async () => {
    const v = new VotingClassifier({ estimators: members(), voting: 'soft' });
    const c = clone(v);
    c.setParams({ lr__C: 9 });
    expect((v.getParams().estimators[0][1] as LogisticRegression).getParams().C).toBe(1);
    await v.fit(X, y);
    await expect((v.getParams().estimators[0][1] as LogisticRegression).predict(X)).rejects.toThrowError(code('E_NOT_FITTED'));
    expect(Object.keys(v.namedEstimators)).toEqual(['lr', 'nb']);
    expect(v.estimators[0]).not.toBe(v.getParams().estimators[0][1]);
  });
});

describe('model selection over ensembles', () => {
  it("cross-validates an ensemble, and tunes a member's parameter by its 'name__param' path", async () => {
    const v = new VotingClassifier({ estimators: members(), voting: 'soft' });
    const scores = await crossValScore(v, X, y, { cv: 3 });
    expect(scores).toHaveLength(3);
    const curve = await validationCurve(v, X, y, { paramName: 'lr__C', paramRange: [0.01, 100], cv: 3 });
    expect(curve.testScores).toHaveLength(2);
    expect((v.getParams().estimators[0][1] as LogisticRegression).getParams().C).toBe(1); // the original untouched
  });
});

describe('VotingClassifier / VotingRegressor', () => {
  it("hard voting has no predictProba; 'drop' members are left out; weights count", async () => {
    const v = await new VotingClassifier({
      estimators: [...members(), ['off', 'drop'], ['knn', new KNeighborsClassifier({ nNeighbors: 3 })]],
      weights: [0, 0, 5, 1],
    }).fit(X, y);
    await expect(v.predictProba(X)).rejects.toThrowError(code('E_PARAM'));
    expect(v.estimators).toHaveLength(3);
    // only k-NN has weight: the vote is its prediction
    expect(await v.predict(X)).toEqual(await (v.namedEstimators.knn as KNeighborsClassifier).predict(X));
    const t = await v.transform(X);
    expect([t.rows, t.cols]).toEqual([60, 3]);
  });

  it('VotingRegressor: weighted mean; not fitted → E_NOT_FITTED', async () => {
    const v = new VotingRegressor({
      estimators: [
        ['a', new Ridge({ alpha: 0.1 })],
        ['b', new Ridge({ alpha: 100 })],
      ],
      weights: [3, 1],
    });
    await expect(v.predict(X)).rejects.toThrowError(code('E_NOT_FITTED'));
    await v.fit(X, yReg);
    const t = await v.transform(X),
      p = await v.predict(X);
    for (let r = 0; r < 60; r++) expect(p[r]).toBeCloseTo((3 * t.data[r * 2] + t.data[r * 2 + 1]) / 4, 12);
  });
});

describe('StackingClassifier / StackingRegressor', () => {
  it("'auto' picks predictProba, else decisionFunction; binary probabilities keep one column", async () => {
    const s = await new StackingClassifier({
      estimators: [
        ['nb', new GaussianNB()],
        ['svc', new LinearSVC()],
      ],
      cv: 3,
    }).fit(X, y2);
    expect(s.stackMethods).toEqual(['predictProba', 'decisionFunction']);
    expect((await s.transform(X)).cols).toBe(2);
    const p = await s.predictProba(X);
    for (let r = 0; r < p.rows; r++) expect(p.data[r * 2] + p.data[r * 2 + 1]).toBeCloseTo(1, 12);
    expect(s.classes).toEqual([0, 1]);
  });

  it("cv 'prefit' uses the fitted members as they are", async () => {
    const lr = await new LogisticRegression().fit(X, y);
    const s = await new StackingClassifier({ estimators: [['lr', lr]], cv: 'prefit' }).fit(X, y);
    expect(s.estimators[0]).toBe(lr);
    expect((await s.transform(X)).data).toEqual((await lr.predictProba(X)).data);
  });

  it('StackingRegressor defaults to a Ridge final estimator; passthrough appends X', async () => {
    const s = await new StackingRegressor({ estimators: [['r', new Ridge()]], passthrough: true, cv: 4 }).fit(X, yReg);
    expect(s.finalEstimator).toBeInstanceOf(Ridge);
    const t = await s.transform(X);
    expect(t.cols).toBe(4);
    expect(Array.from({ length: 60 }, (_, r) => t.data[r * 4 + 3])).toEqual(X.map((r) => r[2]));
    expect((await s.predict(X)).length).toBe(60);
  });
});

describe('BaggingClassifier / BaggingRegressor', () => {
  it('refusals: oobScore without bootstrap, too many rows or columns, no out-of-bag score', async () => {
    expect(() => new BaggingClassifier({ oobScore: true, bootstrap: false })).toThrow(/oobScore needs bootstrap/);
    await expect(new BaggingClassifier({ maxSamples: 61 }).fit(X, y)).rejects.toThrow(/maxSamples is 61 but there are only 60/);
    await expect(new BaggingRegressor({ maxFeatures: 4 }).fit(X, yReg)).rejects.toThrowError(code('E_PARAM'));
    const b = await new BaggingRegressor({ nEstimators: 2 }).fit(X, yReg);
    expect(() => b.oobScore).toThrow(/fit with oobScore: true/);
  });

  it('bags any estimator: members without randomState or predictProba (hard votes)', async () => {
    const b = await new BaggingClassifier({ estimator: new LinearSVC(), nEstimators: 4, bootstrapFeatures: true, maxFeatures: 2, oobScore: true }).fit(X, y);
    const p = await b.predictProba(X);
    for (let r = 0; r < p.rows; r++) {
      const s = p.data[r * 3] + p.data[r * 3 + 1] + p.data[r * 3 + 2];
      expect(s).toBeCloseTo(1, 12);
      for (let k = 0; k < 3; k++) expect((p.data[r * 3 + k] * 4) % 1).toBeCloseTo(0, 12); // votes of 4 members
    }
    expect(b.oobScore).toBeGreaterThan(0.4);
    expect(b.oobDecisionFunction.rows).toBe(60);
    for (const f of b.estimatorsFeatures) expect(f.length).toBe(2);
  });
});

describe('AdaBoostClassifier', () => {
  it('stops at a perfect member; weights and errors are nEstimators long', async () => {
    const sep = X.map((r) => (r[1] > 0 ? 'a' : 'b'));
    const a = await new AdaBoostClassifier({ nEstimators: 7, algorithm: 'SAMME' }).fit(X, sep);
    expect(a.estimators).toHaveLength(1);
    expect(Array.from(a.estimatorErrors)).toEqual([0, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(a.estimatorWeights)).toEqual([1, 0, 0, 0, 0, 0, 0]);
    expect(await a.predict(X)).toEqual(sep);
  });

  it('staged outputs end at the final ones; probabilities sum to 1', async () => {
    for (const algorithm of ['SAMME', 'SAMME.R'] as const) {
      const a = await new AdaBoostClassifier({ nEstimators: 6, algorithm, learningRate: 0.5 }).fit(X, y);
      const stages: unknown[][] = [];
      for await (const p of a.stagedPredict(X)) stages.push(p);
      expect(stages).toHaveLength(a.estimators.length);
      expect(stages[stages.length - 1]).toEqual(await a.predict(X));
      const p = await a.predictProba(X);
      for (let r = 0; r < p.rows; r++) expect(p.data[r * 3] + p.data[r * 3 + 1] + p.data[r * 3 + 2]).toBeCloseTo(1, 12);
    }
    expect(() => new AdaBoostClassifier({ estimator: new LinearSVC() })).toThrow(/'SAMME.R' needs an estimator with predictProba/);
    await new AdaBoostClassifier({ estimator: new LinearSVC(), algorithm: 'SAMME', nEstimators: 2 }).fit(X, y);
    expect(() => new AdaBoostClassifier({ learningRate: 0 })).toThrowError(code('E_PARAM'));
    await expect(
      new AdaBoostClassifier().fit(
        X,
        y.map(() => 'one'),
      ),
    ).rejects.toThrowError(code('E_PARAM'));
    expect(new AdaBoostClassifier().getParams().estimator).toBeUndefined();
    expect(new DecisionTreeClassifier({ maxDepth: 1 })).toBeDefined();
  });
});
