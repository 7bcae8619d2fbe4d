/**
 * workerPool: fold tasks on worker_threads give bitwise the serial executor's results whatever
 * nJobs is, report each finished task, stop on abort, and turn a crashed thread into WorkerError.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  crossValidate,
  GradientBoostingClassifier,
  getThreads,
  KFold,
  learningCurve,
  LogisticRegression,
  makeScorer,
  Matrix,
  meanAbsoluteError,
  Pipeline,
  Ridge,
  StandardScaler,
  validationCurve,
  workerPool,
  WorkerError,
} from '../../src/index.js';
import { foldData } from '../../src/selection/fit-score.js';
import { resolveScorers } from '../../src/selection/scorers.js';

const code = (c: string) => expect.objectContaining({ code: c });
const N = 240;
const D = 5;
const X = new Matrix(
  Float64Array.from({ length: N * D }, (_, i) => Math.sin(i * 1.37) + 0.1 * (i % 7)),
  N,
  D,
);
const yCls = Array.from({ length: N }, (_, i) => (X.data[i * D] + 0.5 * X.data[i * D + 1] > 0.3 ? 'up' : 'down'));
const yReg = Array.from({ length: N }, (_, i) => 2 * X.data[i * D] - X.data[i * D + 2] + 0.05 * (i % 3));
const weights = Float64Array.from({ length: N }, (_, i) => 1 + (i % 4));

/** Bitwise equality of two score columns (NaN and -0 included). */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

const pool2 = workerPool({ nJobs: 2 });
const pool3 = workerPool({ nJobs: 3 });
afterAll(async () => {
  await Promise.all([pool2.close(), pool3.close()]);
});

describe('workerPool: results identical to the serial executor', () => {
  it('gradient boosting, two metrics, train scores: bitwise equal for nJobs 1, 2 and 3 (and the nJobs option)', async () => {
    const est = new GradientBoostingClassifier({ nEstimators: 15, randomState: 3, subsample: 0.8 });
    const opts = { scoring: ['accuracy', 'neg_log_loss'], cv: 4, returnTrainScore: true } as const;
    const serial = await crossValidate(est, X, yCls, opts);
    for (const executor of [pool2, pool3]) {
      const r = await crossValidate(est, X, yCls, { ...opts, executor });
      for (const k of ['accuracy', 'neg_log_loss']) {
        expect(sameBits(r.test[k], serial.test[k])).toBe(true);
        expect(sameBits(r.train![k], serial.train![k])).toBe(true);
      }
    }
    const viaOption = await crossValidate(est, X, yCls, { ...opts, nJobs: 2 });
    expect(sameBits(viaOption.test.neg_log_loss, serial.test.neg_log_loss)).toBe(true);
  });

  it('sample weights cut per fold, fitted estimators back as kiln objects, a Pipeline with its own score', async () => {
    const opts = { cv: 5, fitParams: { sampleWeight: weights }, returnEstimator: true };
    const plain = await crossValidate(new Ridge({ alpha: 0.5 }), X, yReg, opts);
    const pooled = await crossValidate(new Ridge({ alpha: 0.5 }), X, yReg, { ...opts, executor: pool2 });
    expect(sameBits(pooled.testScore!, plain.testScore!)).toBe(true);
    expect(pooled.estimator![2]).toBeInstanceOf(Ridge);
    expect(await (pooled.estimator![2] as Ridge).predict(X)).toEqual(await (plain.estimator![2] as Ridge).predict(X));
    const est = new Pipeline([
      ['scale', new StandardScaler()],
      ['ridge', new Ridge({ alpha: 0.5 })],
    ]);
    const pipe = await crossValidate(est, X, yReg, { cv: 3, executor: pool2 });
    const pipeSerial = await crossValidate(est, X, yReg, { cv: 3 });
    expect(sameBits(pipe.testScore!, pipeSerial.testScore!)).toBe(true);
  });

  it('errorScore: a fold whose fit fails scores NaN in the pool exactly as in series', async () => {
    // unshuffled 3-fold: the first fold trains on one class only, so its fit fails
    const y = Array.from({ length: N }, (_, i) => (i < N / 3 ? 'a' : 'b'));
    const opts = { cv: new KFold({ nSplits: 3 }), scoring: 'accuracy', errorScore: Number.NaN } as const;
    const s = await crossValidate(new LogisticRegression(), X, y, opts);
    const r = await crossValidate(new LogisticRegression(), X, y, { ...opts, executor: pool2 });
    expect(Number.isNaN(s.testScore![0]) && !Number.isNaN(s.testScore![1])).toBe(true);
    expect(sameBits(r.testScore!, s.testScore!)).toBe(true);
    // and with 'raise' the pool rejects with the fit's own error class and code
    const serialErr = await crossValidate(new LogisticRegression(), X, y, { cv: new KFold({ nSplits: 3 }) }).catch((e) => e);
    const poolErr = await crossValidate(new LogisticRegression(), X, y, { cv: new KFold({ nSplits: 3 }), executor: pool2 }).catch((e) => e);
    expect(poolErr.constructor).toBe(serialErr.constructor);
    expect(poolErr.code).toBe(serialErr.code);
    expect(poolErr.message).toBe(serialErr.message);
  });

  it('onResult is called once per finished task, with the result it returns', async () => {
    const est = new LogisticRegression();
    const data = foldData(est, X, yCls, undefined, 't');
    const { scorers } = resolveScorers('accuracy', est, 't');
    const tasks = Array.from({ length: 6 }, (_, k) => {
      const test = Int32Array.from({ length: N / 6 }, (_, i) => k * (N / 6) + i);
      const train = Int32Array.from({ length: N }, (_, i) => i).filter((i) => i < k * (N / 6) || i >= (k + 1) * (N / 6));
      return { train, test };
    });
    const seen = new Map<number, number>();
    const out = await pool3.fitAndScore!({ estimator: est, data, scorers, options: {} }, tasks, {
      onResult: (i, r) => seen.set(i, r.test.score),
    });
    expect([...seen.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    out.forEach((r, i) => expect(seen.get(i)).toBe(r.test.score));
  });

  it('native threads are divided while the pool works and restored after', async () => {
    const before = getThreads();
    let during = 0;
    const est = new LogisticRegression();
    const data = foldData(est, X, yCls, undefined, 't');
    const { scorers } = resolveScorers('accuracy', est, 't');
    const all = Int32Array.from({ length: N }, (_, i) => i);
    await pool2.fitAndScore!({ estimator: est, data, scorers, options: {} }, [{ train: all, test: all }], { onResult: () => (during = getThreads()) });
    expect(during).toBe(Math.max(1, Math.floor((await import('node:os')).availableParallelism() / 2)));
    expect(getThreads()).toBe(before);
  });
});

describe('workerPool: refusals, abort and crashes', () => {
  it('a custom scorer function cannot travel: E_PARAM naming it', async () => {
    const custom = makeScorer(meanAbsoluteError, { greaterIsBetter: false, name: 'my_mae' });
    await expect(crossValidate(new Ridge(), X, yReg, { scoring: custom, executor: pool2 })).rejects.toThrow(/my_mae.*custom function/);
    await expect(crossValidate(new Ridge(), X, yReg, { scoring: (e: any, x: any, y: any) => e.score(x, y), executor: pool2 })).rejects.toEqual(code('E_PARAM'));
  });

  it('executor and nJobs together, or a bad nJobs, are E_PARAM', async () => {
    await expect(crossValidate(new Ridge(), X, yReg, { executor: pool2, nJobs: 2 })).rejects.toThrow(/either executor or nJobs/);
    await expect(crossValidate(new Ridge(), X, yReg, { nJobs: 0 })).rejects.toThrow(/nJobs must be an integer >= 1 or -1/);
    expect(() => workerPool({ nJobs: 1.5 })).toThrow(/nJobs/);
  });

  it('aborting rejects with the signal reason, ends the busy threads, and the pool works afterwards', async () => {
    const pool = workerPool({ nJobs: 2 });
    try {
      const ac = new AbortController();
      const big = new GradientBoostingClassifier({ nEstimators: 400, maxLeaves: 63, minDataInLeaf: 2, randomState: 1 });
      const run = crossValidate(big, X, yCls, { cv: 6, executor: pool, signal: ac.signal });
      setTimeout(() => ac.abort(new Error('stop now')), 300);
      const t0 = performance.now();
      await expect(run).rejects.toThrow('stop now');
      expect(performance.now() - t0).toBeLessThan(20_000);
      const after = await crossValidate(new Ridge(), X, yReg, { cv: 3, executor: pool });
      const serial = await crossValidate(new Ridge(), X, yReg, { cv: 3 });
      expect(sameBits(after.testScore!, serial.testScore!)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('a thread that dies (out of memory) rejects the run with WorkerError (E_WORKER)', async () => {
    const pool = workerPool({ nJobs: 1, resourceLimits: { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 } });
    try {
      const err = await crossValidate(new Ridge(), X, yReg, { cv: 3, executor: pool }).catch((e) => e);
      expect(err).toBeInstanceOf(WorkerError);
      expect(err.code).toBe('E_WORKER');
      expect(err.message).toMatch(/worker thread crashed while running task 0/);
    } finally {
      await pool.close();
    }
  });
});

describe('nJobs on the curves', () => {
  it('validationCurve and learningCurve with nJobs 2 give the serial scores bitwise', async () => {
    const v = { paramName: 'alpha', paramRange: [0.1, 1, 10], cv: 3 };
    const a = await validationCurve(new Ridge(), X, yReg, v);
    const b = await validationCurve(new Ridge(), X, yReg, { ...v, nJobs: 2 });
    a.testScores.forEach((row, i) => expect(sameBits(b.testScores[i], row)).toBe(true));
    const l1 = await learningCurve(new Ridge(), X, yReg, { cv: 3, trainSizes: [0.5, 1] });
    const l2 = await learningCurve(new Ridge(), X, yReg, { cv: 3, trainSizes: [0.5, 1], nJobs: 2 });
    l1.testScores.forEach((row, i) => expect(sameBits(l2.testScores[i], row)).toBe(true));
  });
});
