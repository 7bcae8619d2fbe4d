/** Cross-validation behaviour and bad input: splitters, scorers, options, errors. */
import { describe, expect, it } from 'vitest';
import {
  clone,
  crossValidate,
  crossValPredict,
  crossValScore,
  getScorer,
  GroupKFold,
  KFold,
  learningCurve,
  LogisticRegression,
  makeScorer,
  meanAbsoluteError,
  Pipeline,
  RepeatedKFold,
  RepeatedStratifiedKFold,
  Ridge,
  scorerNames,
  serialExecutor,
  ShuffleSplit,
  StandardScaler,
  StratifiedKFold,
  StratifiedShuffleSplit,
  validationCurve,
  type Executor,
} from '../../src/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const N = 60;
const X = Array.from({ length: N }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 5) / 5]);
const yReg = X.map((r, i) => 2 * r[0] - r[1] + 0.1 * (i % 3));
const yCls = X.map((r) => (r[0] + 0.3 * r[1] > 0 ? 'up' : 'down'));

describe('splitters', () => {
  it('RepeatedKFold: nSplits × nRepeats partitions, each repeat a different shuffle, reproducible', () => {
    const s = new RepeatedKFold({ nSplits: 3, nRepeats: 4, randomState: 7 });
    const splits = s.split(X);
    expect(splits.length).toBe(12);
    expect(s.getNSplits()).toBe(12);
    for (let r = 0; r < 4; r++) {
      const seen = new Int32Array(N);
      for (const sp of splits.slice(r * 3, r * 3 + 3)) {
        for (const i of sp.test) seen[i]++;
        expect(sp.train.length + sp.test.length).toBe(N);
      }
      expect([...seen].every((c) => c === 1)).toBe(true);
    }
    expect(Array.from(splits[0].test)).not.toEqual(Array.from(splits[3].test));
    expect(new RepeatedKFold({ nSplits: 3, nRepeats: 4, randomState: 7 }).split(X)).toEqual(splits);
  });

  it('RepeatedStratifiedKFold keeps class shares in every fold', () => {
    const splits = new RepeatedStratifiedKFold({ nSplits: 3, nRepeats: 2, randomState: 1 }).split(X, yCls);
    const share = yCls.filter((v) => v === 'up').length / N;
    for (const s of splits) {
      const up = [...s.test].filter((i) => yCls[i] === 'up').length;
      expect(Math.abs(up - share * s.test.length)).toBeLessThanOrEqual(1);
    }
  });

  it('ShuffleSplit / StratifiedShuffleSplit: sizes, disjoint parts, stratified shares', () => {
    const s = new ShuffleSplit({ nSplits: 4, testSize: 0.25, randomState: 3 }).split(X);
    expect(s.length).toBe(4);
    for (const sp of s) {
      expect(sp.test.length).toBe(15);
      expect(sp.train.length).toBe(45);
      const t = new Set(sp.test);
      expect([...sp.train].some((i) => t.has(i))).toBe(false);
    }
    expect(new ShuffleSplit().split(X)[0].test.length).toBe(6); // default testSize 0.1, nSplits 10
    const st = new StratifiedShuffleSplit({ nSplits: 3, testSize: 20, randomState: 0 }).split(X, yCls);
    const ups = yCls.filter((v) => v === 'up').length;
    for (const sp of st) expect(Math.abs([...sp.test].filter((i) => yCls[i] === 'up').length - (ups * 20) / N)).toBeLessThan(1);
    expect(() => new StratifiedShuffleSplit().split(X, undefined as never)).toThrow(/y \(the class labels\) is required/);
    expect(() => new ShuffleSplit({ nSplits: 0 })).toThrow(code('E_PARAM'));
  });
});

describe('crossValidate', () => {
  it('an int cv is StratifiedKFold for a classifier, KFold for a regressor', async () => {
    const lr = new LogisticRegression();
    const byInt = await crossValidate(lr, X, yCls, { cv: 3, scoring: 'accuracy' });
    const strat = await crossValidate(lr, X, yCls, { cv: new StratifiedKFold(3), scoring: 'accuracy' });
    expect(byInt.testScore).toEqual(strat.testScore);
    const r1 = await crossValScore(new Ridge(), X, yReg, { cv: 4 });
    const r2 = await crossValScore(new Ridge(), X, yReg, { cv: new KFold(4) });
    expect(r1).toEqual(r2);
  });

  it('scores equal fitting each fold by hand; the estimator itself stays unfitted', async () => {
    const ridge = new Ridge({ alpha: 0.5 });
    const splits = new KFold(3).split(X);
    const r = await crossValidate(ridge, X, yReg, { cv: splits, scoring: ['r2', 'neg_mean_absolute_error'], returnEstimator: true, returnTrainScore: true });
    for (let f = 0; f < 3; f++) {
      const m = await new Ridge({ alpha: 0.5 }).fit(
        [...splits[f].train].map((i) => X[i]),
        [...splits[f].train].map((i) => yReg[i]),
      );
      const pred = await m.predict([...splits[f].test].map((i) => X[i]));
      expect(r.test.neg_mean_absolute_error[f]).toBeCloseTo(
        -meanAbsoluteError(
          [...splits[f].test].map((i) => yReg[i]),
          pred,
        ),
        12,
      );
    }
    expect(r.estimator).toHaveLength(3);
    expect(r.testScore).toBeUndefined(); // several scorers: by name only
    expect(r.train!.r2.every((v) => v > 0.5)).toBe(true);
    expect(() => ridge.coef).toThrow(code('E_NOT_FITTED'));
    expect([...r.fitTime].every((t) => t >= 0)).toBe(true);
  });

  it('fitParams per row are cut to the train rows (sampleWeight)', async () => {
    const w = X.map((_, i) => 1 + (i % 4));
    const r = await crossValScore(new Ridge(), X, yReg, { cv: 3, fitParams: { sampleWeight: w } });
    const plain = await crossValScore(new Ridge(), X, yReg, { cv: 3 });
    expect(r).not.toEqual(plain);
    const splits = new KFold(3).split(X);
    const m = await new Ridge().fit(
      [...splits[0].train].map((i) => X[i]),
      [...splits[0].train].map((i) => yReg[i]),
      { sampleWeight: [...splits[0].train].map((i) => w[i]) },
    );
    expect(r[0]).toBeCloseTo(
      await m.score(
        [...splits[0].test].map((i) => X[i]),
        [...splits[0].test].map((i) => yReg[i]),
      ),
      12,
    );
  });

  it('custom scorers: a function and makeScorer with greaterIsBetter false', async () => {
    const mae = makeScorer(meanAbsoluteError, { greaterIsBetter: false });
    const a = await crossValScore(new Ridge(), X, yReg, { cv: 3, scoring: mae });
    const b = await crossValScore(new Ridge(), X, yReg, { cv: 3, scoring: 'neg_mean_absolute_error' });
    expect(a).toEqual(b);
    const fn = await crossValScore(new Ridge(), X, yReg, {
      cv: 3,
      scoring: async (est: Ridge, Xt: unknown, yt: unknown) => est.score(Xt as number[][], yt as number[]),
    });
    expect(fn).toEqual(await crossValScore(new Ridge(), X, yReg, { cv: 3 }));
  });

  it('any executor gives the same results (the executor interface)', async () => {
    let calls = 0;
    const reversed: Executor = {
      async map(tasks, run) {
        const out = new Array(tasks.length);
        for (let i = tasks.length - 1; i >= 0; i--) {
          calls++;
          out[i] = await run(tasks[i], i);
        }
        return out;
      },
    };
    const a = await crossValidate(new Ridge(), X, yReg, { cv: 4, scoring: ['r2', 'max_error'], executor: reversed });
    const b = await crossValidate(new Ridge(), X, yReg, { cv: 4, scoring: ['r2', 'max_error'], executor: serialExecutor });
    expect(calls).toBe(4);
    expect(a.test).toEqual(b.test);
  });

  it('crossValPredict: a partition is required; classes a fold never saw get probability 0', async () => {
    await expect(crossValPredict(new Ridge(), X, yReg, { cv: new ShuffleSplit({ nSplits: 2 }) })).rejects.toThrow(/exactly one/);
    const y3 = X.map((_, i) => (i < 57 ? ['a', 'b'][i % 2] : 'c'));
    const p = (await crossValPredict(new LogisticRegression(), X, y3, { cv: new KFold(3), method: 'predictProba' })) as any;
    expect(p.cols).toBe(3);
    for (let i = 40; i < 60; i++) expect(p.data[i * 3 + 2]).toBe(0); // fold 2's model never saw 'c' (rows 57-59 are its test rows)
    expect(p.data[0 * 3 + 2]).toBeGreaterThan(0);
  });

  it('learningCurve with shuffle is reproducible and validationCurve reaches nested parameters', async () => {
    const a = await learningCurve(new Ridge(), X, yReg, { cv: 3, trainSizes: [10, 20], shuffle: true, randomState: 4 });
    const b = await learningCurve(new Ridge(), X, yReg, { cv: 3, trainSizes: [10, 20], shuffle: true, randomState: 4 });
    expect(a.testScores).toEqual(b.testScores);
    expect(Array.from(a.trainSizes)).toEqual([10, 20]);
    const pipe = new Pipeline([
      ['scale', new StandardScaler()],
      ['m', new Ridge()],
    ]);
    const v = await validationCurve(pipe, X, yReg, { paramName: 'm__alpha', paramRange: [0.001, 1000], cv: 3 });
    expect(v.testScores[0][0]).toBeGreaterThan(v.testScores[1][0]); // a huge alpha underfits
    await expect(validationCurve(pipe, X, yReg, { paramName: 'nope__alpha', paramRange: [1], cv: 3 })).rejects.toThrow(/unknown step 'nope'.*scale, m/);
    await expect(validationCurve(new Ridge(), X, yReg, { paramName: 'alpah', paramRange: [1], cv: 3 })).rejects.toThrow(code('E_PARAM'));
  });
});

describe('Pipeline parameters and clone', () => {
  it('getParams lists step__param paths; setParams sets them in place and checks every key first', () => {
    const pipe = new Pipeline([
      ['scale', new StandardScaler()],
      ['m', new Ridge()],
    ]);
    const p = pipe.getParams();
    expect(p.m__alpha).toBe(1);
    expect(p.scale__withMean).toBe(true);
    pipe.setParams({ m__alpha: 3, scale__withMean: false });
    expect((pipe.namedSteps.m as Ridge).getParams().alpha).toBe(3);
    expect(() => pipe.setParams({ m__alpha: -1 })).toThrow(code('E_PARAM'));
    const c = clone(pipe);
    c.setParams({ m__alpha: 9 });
    expect((pipe.namedSteps.m as Ridge).getParams().alpha).toBe(3);
    pipe.setParams({ m: new Ridge({ alpha: 5 }) });
    expect(pipe.getParams().m__alpha).toBe(5);
  });
});

describe('bad input', () => {
  it('unknown scorer names list the valid ones; misfit scorers are refused before fitting', async () => {
    expect(() => getScorer('acurracy')).toThrow(/unknown scorer 'acurracy'; valid names are .*accuracy.*neg_log_loss/);
    expect(scorerNames()).toContain('roc_auc_ovr');
    await expect(crossValidate(new Ridge(), X, yReg, { scoring: 'roc_auc' })).rejects.toThrow(/scores a classifier but Ridge is a regressor/);
    await expect(crossValidate(new Ridge(), X, yReg, { scoring: ['r2', 'accuracy'] })).rejects.toThrow(code('E_PARAM'));
    await expect(crossValScore(new Ridge(), X, yReg, { scoring: ['r2'] as never })).rejects.toThrow(/single scorer/);
  });

  it('folds larger than a class allows, groups missing for GroupKFold, empty data, NaN, lengths', async () => {
    const rare = yCls.map((v, i) => (i === 0 ? 'rare' : v));
    await expect(crossValidate(new LogisticRegression(), X, rare, { cv: 5 })).rejects.toThrow(/class "rare" has 1 members, fewer than nSplits=5/);
    await expect(crossValidate(new Ridge(), X, yReg, { cv: new GroupKFold(3) })).rejects.toThrow(/groups is required/);
    await expect(crossValidate(new Ridge(), [], [])).rejects.toThrow(code('E_LENGTH'));
    await expect(crossValidate(new Ridge(), X, yReg.slice(1))).rejects.toThrow(code('E_LENGTH'));
    const Xnan = X.map((r, i) => (i === 7 ? [NaN, r[1], r[2]] : r));
    await expect(crossValidate(new Ridge(), Xnan, yReg, { cv: 3 })).rejects.toThrow(code('E_NONFINITE'));
    const r = await crossValidate(new Ridge(), Xnan, yReg, { cv: 3, errorScore: NaN });
    expect([...r.testScore!].every(Number.isNaN)).toBe(true); // fold 0 cannot score row 7, the others cannot fit on it
    await expect(crossValidate(new Ridge(), X, yReg, { cv: 1 })).rejects.toThrow(code('E_PARAM'));
    await expect(crossValidate(new Ridge(), X, yReg, { cvv: 3 } as never)).rejects.toThrow(/cvv/);
    await expect(crossValidate({} as never, X, yReg)).rejects.toThrow(/estimator must be/);
  });

  it('an aborted signal rejects with its reason', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop now'));
    await expect(crossValidate(new Ridge(), X, yReg, { signal: ac.signal })).rejects.toThrow('stop now');
  });
});
