/** MultiOutputClassifier / MultiOutputRegressor / ClassifierChain: the contract, bad input, and the multilabel metrics' refusals. */
import { describe, expect, it } from 'vitest';
import {
  ClassifierChain,
  clone,
  f1Score,
  hammingLoss,
  jaccardScore,
  GridSearchCV,
  KFold,
  LogisticRegression,
  Matrix,
  MultiOutputClassifier,
  MultiOutputRegressor,
  precisionScore,
  Ridge,
  setParamPaths,
} from '../../src/index.js';

const n = 30;
const X = Array.from({ length: n }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 5) / 5]);
const Y = X.map((r, i) => [r[0] > 0 ? 1 : 0, r[1] > 0 ? 1 : 0, i % 2]);
const code = (c: string) => expect.objectContaining({ code: c });

describe('multi-output estimators: bad input', () => {
  it.each([
    ['MultiOutputClassifier', () => new MultiOutputClassifier({ estimator: new LogisticRegression() })],
    ['MultiOutputRegressor', () => new MultiOutputRegressor({ estimator: new Ridge() })],
    ['ClassifierChain', () => new ClassifierChain({ estimator: new LogisticRegression() })],
  ] as const)('%s refuses a 1-D y, one output column, a row count that differs, and no estimator', async (name, make) => {
    await expect(
      make().fit(
        X,
        Y.map((r) => r[0]),
      ),
    ).rejects.toThrowError(code('E_SHAPE'));
    const one = make()
      .fit(
        X,
        Y.map((r) => [r[0]]),
      )
      .catch((e: Error) => e);
    expect(await one).toMatchObject({ code: 'E_SHAPE', message: expect.stringContaining('1 output column') });
    await expect(make().fit(X, Y.slice(1))).rejects.toThrowError(code('E_SHAPE'));
    await expect(make().fit(X, [...Y.slice(1), [1, 0]])).rejects.toThrowError(code('E_SHAPE'));
    const Ctor = make().constructor as new () => { fit(X: unknown, Y: unknown): Promise<unknown> };
    await expect(new Ctor().fit(X, Y)).rejects.toThrowError(code('E_PARAM'));
    expect(() => new (Ctor as new (p: object) => unknown)({ estimator: 3 })).toThrowError(code('E_PARAM'));
    const m = await make().fit(X, Y);
    await expect((m as unknown as { predict(X: unknown): Promise<unknown> }).predict([[1, 2]])).rejects.toThrowError(code('E_SHAPE'));
    expect(name).toBeTruthy();
  });

  it('ClassifierChain refuses an order that is not a permutation of the outputs, and string targets', async () => {
    const make = (order: number[]) => new ClassifierChain({ estimator: new LogisticRegression(), order });
    expect(() => make([0, 0, 1])).toThrowError(code('E_PARAM'));
    expect(() => make([-1, 0, 1])).toThrowError(code('E_PARAM'));
    await expect(make([0, 1]).fit(X, Y)).rejects.toThrowError(/not a permutation of the 3 outputs/);
    await expect(make([0, 1, 3]).fit(X, Y)).rejects.toThrowError(code('E_PARAM'));
    await expect(
      make([0, 1, 2]).fit(
        X,
        Y.map((r) => r.map(String)),
      ),
    ).rejects.toThrowError(code('E_SHAPE'));
    expect(() => new ClassifierChain({ cv: 1 })).toThrowError(code('E_PARAM'));
  });

  it('an aborted fit rejects and leaves the model as it was', async () => {
    const m = await new MultiOutputRegressor({ estimator: new Ridge() }).fit(X, Y);
    const before = await m.predict(X);
    const ac = new AbortController();
    const p = m.fit(
      X,
      Y.map((r) => r.map((v) => v * 3)),
      { signal: ac.signal },
    );
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrowError('stop');
    expect(Array.from((await m.predict(X)).data)).toEqual(Array.from(before.data));
  });
});

describe('multi-output estimators: behaviour', () => {
  it('MultiOutputRegressor equals one Ridge per column', async () => {
    const Yr = X.map((r) => [r[0] + 2 * r[1], r[2] - r[0]]);
    const m = await new MultiOutputRegressor({ estimator: new Ridge({ alpha: 0.5 }) }).fit(X, Yr);
    const p = await m.predict(X);
    for (let j = 0; j < 2; j++) {
      const one = await new Ridge({ alpha: 0.5 }).fit(
        X,
        Yr.map((r) => r[j]),
      );
      const q = (await one.predict(X)) as Float64Array;
      for (let i = 0; i < n; i++) expect(p.data[i * 2 + j]).toBe(q[i]);
    }
    expect(m.estimators).toHaveLength(2);
  });

  it('MultiOutputClassifier keeps string labels per output', async () => {
    const Ys = Y.map((r) => [r[0] ? 'up' : 'down', r[1] ? 'left' : 'right']);
    const m = await new MultiOutputClassifier({ estimator: new LogisticRegression() }).fit(X, Ys);
    expect(m.classes).toEqual([
      ['down', 'up'],
      ['left', 'right'],
    ]);
    const p = (await m.predict(X)) as string[][];
    expect(p).toHaveLength(n);
    expect(p.every((r) => ['down', 'up'].includes(r[0]) && ['left', 'right'].includes(r[1]))).toBe(true);
    expect(await m.score(X, Ys)).toBeGreaterThan(0.5);
  });

  it('ClassifierChain: order null is 0..L-1, random order is a seeded permutation, predictions in output order', async () => {
    const a = await new ClassifierChain({ estimator: new LogisticRegression(), order: 'random', randomState: 7 }).fit(X, Y);
    const b = await new ClassifierChain({ estimator: new LogisticRegression(), order: 'random', randomState: 7 }).fit(X, Y);
    expect(Array.from(a.order)).toEqual(Array.from(b.order));
    expect([...a.order].sort()).toEqual([0, 1, 2]);
    // the first link sees X only: it is the plain classifier of its output
    const first = a.order[0];
    const lr = await new LogisticRegression().fit(
      X,
      Y.map((r) => r[first]),
    );
    const proba = await a.predictProba(X);
    const own = await lr.predictProba(X);
    for (let i = 0; i < n; i++) expect(proba.data[i * 3 + first]).toBe(own.data[i * 2 + 1]);
    expect(a.classes).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
  });

  it('clone, getParams and setParams', async () => {
    const m = new ClassifierChain({ estimator: new LogisticRegression({ C: 2 }), order: [2, 1, 0], cv: 3 });
    expect(m.getParams()).toMatchObject({ order: [2, 1, 0], cv: 3, randomState: 0 });
    const c = clone(m);
    expect(c.getParams().estimator).not.toBe(m.getParams().estimator);
    expect((c.getParams().estimator as LogisticRegression).getParams().C).toBe(2);
    m.setParams({ order: null });
    expect(m.getParams().order).toBeNull();
    expect(() => m.setParams({ randomState: -1 })).toThrowError(code('E_PARAM'));
    await m.fit(X, Y);
    expect(() => new MultiOutputRegressor().estimators).toThrowError(code('E_NOT_FITTED'));
  });
});

describe('multi-output estimators inside searches', () => {
  it("'estimator__C' reaches the member, and GridSearchCV tunes it on a multilabel scorer", async () => {
    const m = new MultiOutputClassifier({ estimator: new LogisticRegression() });
    setParamPaths(m, { estimator__C: 3 });
    expect((m.getParams().estimator as LogisticRegression).getParams().C).toBe(3);
    const g = await new GridSearchCV({ estimator: m, paramGrid: { estimator__C: [0.01, 10] }, cv: new KFold(3), scoring: 'f1_samples' }).fit(X, Y);
    expect(Object.keys(g.bestParams)).toEqual(['estimator__C']);
    expect(g.bestScore).toBeGreaterThan(0);
  });
});

describe('multilabel metrics: refusals', () => {
  const t = [
    [1, 0],
    [0, 1],
  ];
  it('a mix of indicator matrix and labels, values other than 0/1, mismatched shapes', () => {
    expect(() => hammingLoss(t, [1, 0])).toThrowError(code('E_DTYPE'));
    expect(() =>
      hammingLoss(t, [
        [1, 2],
        [0, 1],
      ]),
    ).toThrowError(code('E_DTYPE'));
    expect(() => jaccardScore(t, [[1], [0]], { average: 'micro' })).toThrowError(code('E_DTYPE'));
  });
  it("average 'binary' on multilabel, 'samples' on labels, labels outside the columns", () => {
    expect(() => f1Score(t, t)).toThrowError(/multilabel but average is 'binary'/);
    expect(() => precisionScore([0, 1, 1], [0, 1, 0], { average: 'samples' })).toThrowError(code('E_PARAM'));
    expect(() => jaccardScore(t, t, { average: 'macro', labels: [2] })).toThrowError(code('E_PARAM'));
  });
  it('a Matrix and a number[][] are the same targets', () => {
    const m = new Matrix(Float64Array.of(1, 0, 0, 1), 2, 2);
    expect(
      jaccardScore(
        m,
        [
          [1, 1],
          [0, 1],
        ],
        { average: 'samples' },
      ),
    ).toBe(
      jaccardScore(
        t,
        [
          [1, 1],
          [0, 1],
        ],
        { average: 'samples' },
      ),
    );
    expect(
      jaccardScore(
        t,
        [
          [1, 1],
          [0, 1],
        ],
        { average: 'samples' },
      ),
    ).toBe(0.75);
    expect(
      hammingLoss(m, [
        [1, 1],
        [0, 1],
      ]),
    ).toBe(0.25);
  });
});
