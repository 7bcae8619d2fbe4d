/**
 * The searches' behaviour beyond parity: grids and samplers, every fit through the executor,
 * progress, abort, nested Pipeline parameters, failing candidates, refit rules and bad input.
 */
import { describe, expect, it } from 'vitest';
import {
  choice,
  crossValScore,
  GridSearchCV,
  HalvingGridSearchCV,
  HalvingRandomSearchCV,
  halvingSchedule,
  KFold,
  LogisticRegression,
  loguniform,
  ParameterGrid,
  ParameterSampler,
  Pipeline,
  randint,
  RandomizedSearchCV,
  Ridge,
  sampleParameters,
  SelectKBest,
  serialExecutor,
  StandardScaler,
  uniform,
  type Executor,
  type ParamGridSpec,
  type SearchProgress,
} from '../../src/index.js';
import { fitAndScore, type FoldResult, type FoldRun, type FoldTask } from '../../src/selection/fit-score.js';

const code = (c: string) => expect.objectContaining({ code: c });
const n = 90;
const X = Array.from({ length: n }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 5) / 5, Math.sin(i * 0.3)]);
const y = X.map((r, i) => (r[0] + 0.5 * r[1] + (i % 7 === 0 ? 0.8 : 0) > 0 ? 'a' : 'b'));
const yReg = X.map((r, i) => 2 * r[0] - r[1] + 0.1 * (i % 3));

describe('ParameterGrid and sampling', () => {
  it('enumerates, indexes and refuses empty grids', () => {
    const g = new ParameterGrid({ b: [1, 2, 3], a: ['x', 'y'] });
    expect(g.length).toBe(6);
    expect(g.at(1)).toEqual({ a: 'x', b: 2 });
    expect(g.paramNames).toEqual(['a', 'b']);
    expect(new ParameterGrid({}).toArray()).toEqual([{}]);
    expect(() => new ParameterGrid([])).toThrowError(code('E_PARAM'));
    expect(() => new ParameterGrid({ a: [] })).toThrow(/'a' has an empty list/);
    expect(() => new ParameterGrid({ a: 3 } as never)).toThrow(/'a' needs an array/);
    expect(() => g.at(6)).toThrowError(code('E_PARAM'));
  });

  it('draws from distributions deterministically, within their supports', () => {
    const d = { lr: loguniform(1e-4, 1), depth: randint(2, 6), frac: uniform(0.5, 0.25), kind: choice(['gini', 'entropy']) };
    const a = sampleParameters(d, 200, 7);
    expect(sampleParameters(d, 200, 7)).toEqual(a);
    expect(sampleParameters(d, 200, 8)).not.toEqual(a);
    for (const s of a) {
      expect(s.lr as number).toBeGreaterThanOrEqual(1e-4);
      expect(s.lr as number).toBeLessThanOrEqual(1);
      expect([2, 3, 4, 5]).toContain(s.depth);
      expect(s.frac as number).toBeGreaterThanOrEqual(0.5);
      expect(s.frac as number).toBeLessThanOrEqual(0.75);
      expect(['gini', 'entropy']).toContain(s.kind);
    }
    expect(new Set(a.map((s) => s.depth)).size).toBe(4);
    // log-uniform: about half the draws below the geometric middle
    const below = a.filter((s) => (s.lr as number) < 1e-2).length;
    expect(below).toBeGreaterThan(70);
    expect(below).toBeLessThan(130);
  });

  it('samples lists without replacement, at most the grid size', () => {
    const s = new ParameterSampler({ a: [1, 2, 3], b: ['x', 'y'] }, 50, 3).toArray();
    expect(s.length).toBe(6);
    expect(new Set(s.map((c) => JSON.stringify(c))).size).toBe(6);
    const axis = Array.from({ length: 1000 }, (_, i) => i);
    const huge = sampleParameters({ a: axis, b: axis, c: axis }, 20, 1); // 10^9 combinations, drawn without listing them
    expect(new Set(huge.map((c) => JSON.stringify(c))).size).toBe(20);
  });

  it('refuses malformed distributions', () => {
    expect(() => loguniform(0, 1)).toThrowError(code('E_PARAM'));
    expect(() => randint(3, 3)).toThrowError(code('E_PARAM'));
    expect(() => uniform(0, -1)).toThrowError(code('E_PARAM'));
    expect(() => choice([])).toThrowError(code('E_PARAM'));
    expect(() => sampleParameters({ a: { dist: 'normal' } } as never, 3)).toThrow(/distribution/);
    expect(() => sampleParameters({ a: [1] }, 0)).toThrowError(code('E_PARAM'));
  });

  it('computes the halving schedule', () => {
    expect(halvingSchedule({ nCandidates: 9, minResources: 12, maxResources: 120, factor: 3, exhaust: true, aggressiveElimination: false })).toMatchObject({
      nResources: [13, 39, 117],
      nCandidates: [9, 3, 1],
    });
  });
});

/** An executor that runs the fold tasks in reverse order, as a pool finishing out of order would. */
function reversingExecutor(log: number[]): Executor {
  return {
    map: serialExecutor.map,
    async fitAndScore(run: FoldRun, tasks: readonly FoldTask[], opts = {}) {
      log.push(tasks.length);
      const out: FoldResult[] = new Array(tasks.length);
      for (let i = tasks.length - 1; i >= 0; i--) {
        out[i] = await fitAndScore(run.estimator, run.data, tasks[i], run.scorers, { ...run.options, signal: opts.signal });
        opts.onResult?.(i, out[i]);
      }
      return out;
    },
  };
}

const stripTimes = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.includes('_time')));

describe('GridSearchCV and RandomizedSearchCV', () => {
  it('tunes a Pipeline by double-underscore paths, refits the best and predicts through it', async () => {
    const pipe = new Pipeline([
      ['scale', new StandardScaler()],
      ['sel', new SelectKBest({ k: 2 })],
      ['model', new LogisticRegression()],
    ]);
    const gs = await new GridSearchCV({ estimator: pipe, paramGrid: { sel__k: [1, 2, 4], model__C: [0.01, 1] }, cv: 3, scoring: 'accuracy' }).fit(X, y);
    const r = gs.cvResults;
    expect(r.params).toEqual(new ParameterGrid({ sel__k: [1, 2, 4], model__C: [0.01, 1] }).toArray());
    expect(r.param_sel__k).toEqual([1, 2, 4, 1, 2, 4]);
    const means = r.mean_test_score as Float64Array;
    expect(gs.bestScore).toBe(Math.max(...means));
    expect(means[gs.bestIndex]).toBe(gs.bestScore);
    expect((r.rank_test_score as Int32Array)[gs.bestIndex]).toBe(1);
    expect(gs.bestEstimator.getParams().steps[1][1].getParams().k).toBe(gs.bestParams.sel__k);
    expect((pipe.getParams().steps as [string, SelectKBest][])[1][1].getParams().k).toBe(2); // the given pipeline is untouched
    expect(await gs.predict(X)).toEqual(await gs.bestEstimator.predict(X));
    expect(await gs.score(X, y)).toBeCloseTo(await gs.bestEstimator.score(X, y), 12);
    expect(gs.classes).toEqual(['a', 'b']);
  });

  it('runs every fit through the executor, with the same results whatever order they finish in', async () => {
    const log: number[] = [];
    const opts = {
      estimator: new Ridge(),
      paramGrid: [{ alpha: [0.1, 1, 10] }, { fitIntercept: [false] }] as ParamGridSpec[],
      cv: new KFold(4),
      scoring: ['r2', 'neg_mean_absolute_error'],
      refit: 'r2',
      returnTrainScore: true,
    };
    const a = await new GridSearchCV(opts).fit(X, yReg);
    const b = await new GridSearchCV({ ...opts, executor: reversingExecutor(log) }).fit(X, yReg);
    expect(log).toEqual([16]);
    expect(stripTimes(b.cvResults)).toEqual(stripTimes(a.cvResults));
    expect(a.cvResults.param_fitIntercept).toEqual([undefined, undefined, undefined, false]);
    expect(b.bestParams).toEqual(a.bestParams);
  });

  it('runs on worker threads with nJobs, every score and the best candidate as the serial run, progress per fit', async () => {
    const opts = { estimator: new Ridge(), paramGrid: { alpha: [0.1, 1, 10] }, cv: new KFold(4), scoring: ['r2', 'neg_mean_absolute_error'], refit: 'r2' };
    const serial = await new GridSearchCV(opts).fit(X, yReg);
    const seen: number[] = [];
    const threads = await new GridSearchCV({ ...opts, nJobs: 2, onProgress: (p: SearchProgress) => seen.push(p.done) }).fit(X, yReg);
    expect(stripTimes(threads.cvResults)).toEqual(stripTimes(serial.cvResults));
    expect(threads.bestParams).toEqual(serial.bestParams);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    await expect(new GridSearchCV({ ...opts, nJobs: 2, executor: reversingExecutor([]) }).fit(X, yReg)).rejects.toMatchObject({
      code: 'E_PARAM',
      message: /either executor or nJobs/,
    });
    expect(() => new GridSearchCV({ ...opts, nJobs: 0 })).toThrow(expect.objectContaining({ code: 'E_PARAM' }));
  });

  it('reports progress after every fit', async () => {
    const seen: SearchProgress[] = [];
    const gs = await new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [0.1, 1, 10] }, cv: 3, onProgress: (p) => seen.push(p) }).fit(X, yReg);
    expect(seen.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(seen.every((p) => p.total === 9)).toBe(true);
    expect(Number.isNaN(seen[0].bestScore)).toBe(true);
    expect(seen[8].bestScore).toBeCloseTo(gs.bestScore, 12);
    // a failing candidate (NaN) never becomes the best so far
    const last: SearchProgress[] = [];
    await new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [1, -1] }, cv: 3, onProgress: (p) => last.push(p) }).fit(X, yReg);
    expect(last[5].bestScore).toBe(last[2].bestScore);
    expect(Number.isFinite(last[5].bestScore)).toBe(true);
  });

  it('draws a progress line on stderr only when it is a terminal', async () => {
    const writes: string[] = [];
    const write = process.stderr.write;
    const tty = process.stderr.isTTY;
    const capture = ((chunk: string) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      process.stderr.write = capture;
      process.stderr.isTTY = false;
      await new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [1, 2] }, cv: 2 }).fit(X, yReg);
      expect(writes.filter((w) => w.includes('GridSearchCV'))).toEqual([]);
      process.stderr.isTTY = true;
      await new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [1, 2] }, cv: 2 }).fit(X, yReg);
    } finally {
      process.stderr.write = write;
      process.stderr.isTTY = tty;
    }
    const lines = writes.filter((w) => w.includes('GridSearchCV'));
    expect(lines.at(-1)).toMatch(/GridSearchCV 4\/4 fits {2}best -?\d/);
    expect(writes.at(-1)).toBe('\n');
  });

  it('nests inside cross-validation (a search is an estimator like any other)', async () => {
    const inner = new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [0.1, 10] }, cv: 3 });
    const scores = await crossValScore(inner, X, yReg, { cv: 3 });
    expect(scores.length).toBe(3);
    expect(() => inner.bestParams).toThrowError(code('E_NOT_FITTED')); // the given search is untouched
  });

  it('aborts with the signal reason and keeps the previous fit', async () => {
    const gs = await new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [1] }, cv: 3 }).fit(X, yReg);
    const before = gs.bestScore;
    const ac = new AbortController();
    const reason = new Error('stop');
    gs.setParams({ paramGrid: { alpha: [0.1, 1, 10, 100] }, onProgress: (p) => p.done === 2 && ac.abort(reason) });
    await expect(gs.fit(X, yReg, { signal: ac.signal })).rejects.toBe(reason);
    expect(gs.bestScore).toBe(before);
    expect(gs.cvResults.params).toEqual([{ alpha: 1 }]);
  });

  it('records a failing candidate as NaN (ranked last) or rejects with errorScore raise', async () => {
    const grid = { alpha: [1, -1, 10] }; // Ridge refuses alpha -1 when the candidate is set
    const gs = await new GridSearchCV({ estimator: new Ridge(), paramGrid: grid, cv: 3 }).fit(X, yReg);
    expect(Number.isNaN((gs.cvResults.mean_test_score as Float64Array)[1])).toBe(true);
    expect((gs.cvResults.rank_test_score as Int32Array)[1]).toBe(3);
    expect(gs.bestParams.alpha).not.toBe(-1);
    await expect(new GridSearchCV({ estimator: new Ridge(), paramGrid: grid, cv: 3, errorScore: 'raise' }).fit(X, yReg)).rejects.toThrowError(code('E_PARAM'));
  });

  it('refuses bad input with E_PARAM naming the fix', async () => {
    const pipe = new Pipeline([
      ['scale', new StandardScaler()],
      ['model', new LogisticRegression()],
    ]);
    const err = await new GridSearchCV({ estimator: pipe, paramGrid: { model__alpha: [1] } }).fit(X, y).catch((e) => e);
    expect(err).toMatchObject({ code: 'E_PARAM' });
    expect(err.message).toMatch(/no parameter 'model__alpha'; valid names are .*model__C/);
    await expect(new GridSearchCV({ estimator: new Ridge(), paramGrid: [] }).fit(X, yReg)).rejects.toThrow(/grid list is empty/);
    await expect(new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [] } }).fit(X, yReg)).rejects.toThrow(/empty list of values/);
    await expect(new GridSearchCV({ estimator: new Ridge() }).fit(X, yReg)).rejects.toThrow(/paramGrid is required/);
    await expect(new GridSearchCV({ paramGrid: { alpha: [1] } }).fit(X, yReg)).rejects.toThrow(/estimator is required/);
    await expect(
      new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [1] }, scoring: ['r2', 'max_error'], refit: 'accuracy' }).fit(X, yReg),
    ).rejects.toThrow(/refit must be false or the name of one of them \(r2, max_error\)/);
    await expect(new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [1] }, scoring: ['r2', 'max_error'] }).fit(X, yReg)).rejects.toThrowError(
      code('E_PARAM'),
    );
    await expect(new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [1] }, scoring: 'accuracy' }).fit(X, yReg)).rejects.toThrow(/regressor/);
    expect(() => new GridSearchCV({ paramGrid: 3 as never })).toThrowError(code('E_PARAM'));
    const noRefit = await new GridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [1, 2] }, scoring: ['r2', 'max_error'], refit: false }).fit(X, yReg);
    expect(() => noRefit.bestParams).toThrow(/refit must name the metric/);
    expect(() => noRefit.bestEstimator).toThrow(/refit/);
    expect((noRefit.cvResults.mean_test_r2 as Float64Array).length).toBe(2);
    expect(() => new GridSearchCV().cvResults).toThrowError(code('E_NOT_FITTED'));
  });

  it('RandomizedSearchCV: the same seed, the same candidates and scores', async () => {
    const opts = {
      estimator: new LogisticRegression(),
      paramDistributions: { C: loguniform(1e-2, 1e2), fitIntercept: [true, false] },
      nIter: 4,
      cv: 3,
      randomState: 5,
    };
    const a = await new RandomizedSearchCV(opts).fit(X, y);
    const b = await new RandomizedSearchCV(opts).fit(X, y);
    expect(stripTimes(a.cvResults)).toEqual(stripTimes(b.cvResults));
    expect(a.cvResults.params).toEqual(sampleParameters(opts.paramDistributions, 4, 5));
    expect((a.cvResults.params as unknown[]).length).toBe(4);
  });
});

describe('successive halving', () => {
  it('grows a parameter resource and refuses one the grid also sets', async () => {
    const hs = await new HalvingGridSearchCV({
      estimator: new LogisticRegression(),
      paramGrid: { C: [0.01, 0.1, 1, 10, 100, 1000] },
      resource: 'maxIter',
      maxResources: 27,
      minResources: 3,
      cv: 3,
    }).fit(X, y);
    expect(hs.nResources).toEqual([3, 9]);
    expect(hs.nCandidates).toEqual([6, 2]);
    const r = hs.cvResults;
    expect((r.params as Record<string, unknown>[]).map((p) => p.maxIter)).toEqual([3, 3, 3, 3, 3, 3, 9, 9]);
    expect(hs.bestParams.maxIter).toBe(9);
    expect(r.mean_train_score).toBeInstanceOf(Float64Array); // halving reports train scores by default
    await expect(
      new HalvingGridSearchCV({ estimator: new LogisticRegression(), paramGrid: { maxIter: [5, 10] }, resource: 'maxIter', maxResources: 9 }).fit(X, y),
    ).rejects.toThrow(/also a searched parameter/);
    await expect(
      new HalvingGridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [1] }, resource: 'depth', maxResources: 9 }).fit(X, yReg),
    ).rejects.toThrow(/resource 'depth' is neither/);
    await expect(new HalvingGridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [1] }, scoring: ['r2', 'max_error'] }).fit(X, yReg)).rejects.toThrow(
      /one metric/,
    );
    await expect(new HalvingGridSearchCV({ estimator: new Ridge(), paramGrid: { alpha: [1] }, minResources: 500 }).fit(X, yReg)).rejects.toThrow(
      /greater than maxResources/,
    );
  });

  it('subsamples rows per round and fold from randomState: reruns agree', async () => {
    const opts = { estimator: new Ridge(), paramDistributions: { alpha: loguniform(1e-3, 1e3) }, cv: 3, randomState: 1 };
    const a = await new HalvingRandomSearchCV(opts).fit(X, yReg);
    const b = await new HalvingRandomSearchCV({ ...opts, executor: reversingExecutor([]) }).fit(X, yReg);
    expect(stripTimes(b.cvResults)).toEqual(stripTimes(a.cvResults));
    expect(a.nCandidates[0]).toBe(Math.floor(n / 6));
    const c = await new HalvingRandomSearchCV({ ...opts, randomState: 2 }).fit(X, yReg);
    expect(stripTimes(c.cvResults)).not.toEqual(stripTimes(a.cvResults));
  });
});
