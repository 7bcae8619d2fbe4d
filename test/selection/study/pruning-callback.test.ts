/** pruningCallback inside kiln's iterative fits: a pruned trial stops its fit early and cleanly. */
import { describe, expect, it } from 'vitest';
import {
  createStudy,
  GradientBoostingRegressor,
  MedianPruner,
  MLPClassifier,
  pruningCallback,
  RandomSampler,
  SGDClassifier,
  SGDRegressor,
  type FrozenTrial,
  type Pruner,
} from '../../../src/index.js';

function data(n: number, seed = 1): { X: number[][]; y: number[]; labels: number[] } {
  let s = seed;
  const r = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const X: number[][] = [],
    y: number[] = [],
    labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [r(), r(), r()];
    X.push(row);
    y.push(2 * row[0] - row[1] + 0.1 * r());
    labels.push(row[0] + row[1] > 0 ? 1 : 0);
  }
  return { X, y, labels };
}

/** Prunes once a trial has reported step `at`. */
const pruneAt = (at: number): Pruner => ({
  prune: (_s, t: FrozenTrial) => Object.keys(t.intermediateValues).some((k) => Number(k) >= at),
});

describe('pruningCallback', () => {
  const { X, y, labels } = data(120);

  it('stops gradient boosting at the pruned round (validation loss reported per round)', async () => {
    const study = await createStudy({ pruner: pruneAt(3) });
    let model: GradientBoostingRegressor | undefined;
    await study.optimize(
      async (trial) => {
        model = new GradientBoostingRegressor({ nEstimators: 50, learningRate: trial.suggestFloat('lr', 0.05, 0.3), maxDepth: 3 });
        await model.fit(X.slice(0, 90), y.slice(0, 90), { evalSet: [X.slice(90), y.slice(90)], onProgress: pruningCallback(trial).onProgress });
        return 0;
      },
      { nTrials: 1 },
    );
    const [t] = study.trials;
    expect(t.state).toBe('PRUNED');
    expect(Object.keys(t.intermediateValues).map(Number)).toEqual([1, 2, 3]);
    expect(t.value).toBe(t.intermediateValues[3]);
    // the fit rejected, so the model stays unfitted
    await expect(model!.predict(X)).rejects.toThrowError(expect.objectContaining({ code: 'E_NOT_FITTED' }));
  });

  it('stops SGD through its new per-epoch onProgress hook', async () => {
    const epochs: number[] = [];
    const plain = await new SGDRegressor({ maxIter: 7, tol: null, randomState: 0 }).fit(X, y, { onProgress: (l) => void epochs.push(l.epoch) });
    expect(epochs).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(plain.nIter).toBe(7);
    const study = await createStudy({ pruner: pruneAt(4) });
    const fitted = await new SGDClassifier({ maxIter: 5, tol: null, randomState: 0 }).fit(X, labels);
    const coefBefore = Array.from(fitted.coef.data);
    await study.optimize(
      async (trial) => {
        await fitted.fit(X, labels, { onProgress: pruningCallback(trial).onProgress });
        return 0;
      },
      { nTrials: 1 },
    );
    const [t] = study.trials;
    expect(t.state).toBe('PRUNED');
    expect(Object.keys(t.intermediateValues).map(Number)).toEqual([1, 2, 3, 4]);
    // a refit that was pruned leaves the previous fit in place
    expect(Array.from(fitted.coef.data)).toEqual(coefBefore);
    await expect(new SGDRegressor().fit(X, y, { onProgress: 3 as never })).rejects.toThrowError(/onProgress must be a function/);
  });

  it('stops an MLP through its callbacks', async () => {
    const study = await createStudy({ pruner: pruneAt(2) });
    await study.optimize(
      async (trial) => {
        const mlp = new MLPClassifier({ hiddenLayerSizes: [8], maxIter: 30, randomState: 0, callbacks: [pruningCallback(trial)] });
        await mlp.fit(X, labels);
        return 0;
      },
      { nTrials: 1 },
    );
    const [t] = study.trials;
    expect(t.state).toBe('PRUNED');
    expect(Object.keys(t.intermediateValues).map(Number)).toEqual([0, 1, 2]);
  });

  it('with a MedianPruner, later poor trials stop early and good ones run to the end', async () => {
    const study = await createStudy({ sampler: new RandomSampler({ seed: 5 }), pruner: new MedianPruner({ nStartupTrials: 3 }) });
    await study.optimize(
      async (trial) => {
        const eta0 = trial.suggestFloat('eta0', 1e-5, 1e-1, { log: true });
        const m = new SGDRegressor({ learningRate: 'constant', eta0, maxIter: 15, tol: null, randomState: 0 });
        const cb = pruningCallback(trial, { monitor: (l) => (l.loss as number) / X.length });
        await m.fit(X, y, { onProgress: cb.onProgress });
        return (await m.score(X, y)) * -1;
      },
      { nTrials: 12 },
    );
    const pruned = study.trials.filter((t) => t.state === 'PRUNED');
    expect(pruned.length).toBeGreaterThan(0);
    for (const t of pruned) expect(Object.keys(t.intermediateValues).length).toBeLessThan(15);
    expect(study.trials.filter((t) => t.state === 'COMPLETE').length).toBeGreaterThanOrEqual(3);
    expect(() => pruningCallback({} as never)).toThrowError(/Trial the objective received/);
  });
});
