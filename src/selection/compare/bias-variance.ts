/**
 * The bias–variance decomposition of a model's test error by bootstrap, as mlxtend's
 * bias_variance_decomp: fit the model on numRounds bootstrap samples of the training rows,
 * predict the test rows each time. '0-1_loss': the main prediction is each row's most frequent
 * predicted label (ties to the smallest); 'mse': the mean prediction.
 */
import { ParamError } from '../../core/errors.js';
import { Rng } from '../../core/prng.js';
import { cloneDeep } from '../../compose/params-path.js';
import { rowCount, takeRows, type Splittable } from '../../data/split/arrays.js';

export type BiasVarianceLoss = '0-1_loss' | 'mse';

export interface BiasVarianceResult {
  /** The mean over rounds of each round's mean test loss. */
  expectedLoss: number;
  bias: number;
  variance: number;
}

const compareLabels = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;

/** The decomposition from the rounds' predictions: predictions[r][i] is round r's prediction of test row i. */
export function biasVarianceFromPredictions(predictions: readonly ArrayLike<unknown>[], yTest: ArrayLike<unknown>, loss: BiasVarianceLoss): BiasVarianceResult {
  const fn = 'biasVarianceFromPredictions';
  const R = predictions.length,
    n = yTest.length;
  if (R === 0 || n === 0) throw new ParamError(`${fn}: needs at least one round and one test row`);
  if (predictions.some((p) => p.length !== n)) throw new ParamError(`${fn}: every round must predict the ${n} test rows`);
  if (loss === '0-1_loss') {
    let expected = 0,
      bias = 0,
      variance = 0;
    for (const p of predictions) {
      let wrong = 0;
      for (let i = 0; i < n; i++) if (p[i] !== yTest[i]) wrong++;
      expected += wrong / n;
    }
    for (let i = 0; i < n; i++) {
      const counts = new Map<unknown, number>();
      for (const p of predictions) counts.set(p[i], (counts.get(p[i]) ?? 0) + 1);
      let main: unknown,
        best = -1;
      for (const [v, c] of [...counts].sort(([a], [b]) => compareLabels(a, b))) {
        if (c > best) {
          best = c;
          main = v;
        }
      }
      if (main !== yTest[i]) bias++;
      variance += (R - best) / R;
    }
    return { expectedLoss: expected / R, bias: bias / n, variance: variance / n };
  }
  if (loss !== 'mse') throw new ParamError(`${fn}: loss must be '0-1_loss' or 'mse', got ${String(loss)}`);
  let expected = 0,
    bias = 0,
    variance = 0;
  for (const p of predictions) {
    let s = 0;
    for (let i = 0; i < n; i++) s += ((p[i] as number) - (yTest[i] as number)) ** 2;
    expected += s / n;
  }
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (const p of predictions) m += p[i] as number;
    m /= R;
    bias += (m - (yTest[i] as number)) ** 2;
    for (const p of predictions) variance += ((p[i] as number) - m) ** 2;
  }
  return { expectedLoss: expected / R, bias: bias / n, variance: variance / (R * n) };
}

export interface BiasVarianceOptions {
  /** '0-1_loss' (classifiers) or 'mse' (regressors). Default: '0-1_loss'. */
  loss?: BiasVarianceLoss;
  /** Bootstrap rounds. Default: 200. */
  numRounds?: number;
  /** Seed of the bootstrap samples. Default: 0. */
  randomState?: number;
  signal?: AbortSignal;
}

/** mlxtend's bias_variance_decomp: average expected loss, bias and variance of `estimator` over bootstrap rounds. */
export async function biasVarianceDecomp(
  estimator: unknown,
  XTrain: unknown,
  yTrain: unknown,
  XTest: unknown,
  yTest: ArrayLike<unknown>,
  opts: BiasVarianceOptions = {},
): Promise<BiasVarianceResult> {
  const fn = 'biasVarianceDecomp';
  const { loss = '0-1_loss', numRounds = 200, randomState = 0, signal } = opts;
  if (loss !== '0-1_loss' && loss !== 'mse') throw new ParamError(`${fn}: loss must be '0-1_loss' or 'mse', got ${String(loss)}`);
  if (!Number.isInteger(numRounds) || numRounds < 1) throw new ParamError(`${fn}: numRounds must be an integer >= 1, got ${numRounds}`);
  const n = rowCount(XTrain, `${fn}: XTrain`);
  if (rowCount(yTrain, `${fn}: yTrain`) !== n) throw new ParamError(`${fn}: yTrain must have one entry per row of XTrain (${n})`);
  const rng = new Rng(randomState);
  const predictions: ArrayLike<unknown>[] = [];
  for (let r = 0; r < numRounds; r++) {
    signal?.throwIfAborted();
    const idx = Int32Array.from({ length: n }, () => rng.int(n));
    const est = cloneDeep(estimator) as { fit(X: unknown, y: unknown): Promise<unknown>; predict(X: unknown): Promise<ArrayLike<unknown>> };
    await est.fit(takeRows(XTrain as Splittable, idx), takeRows(yTrain as Splittable, idx));
    predictions.push(await est.predict(XTest));
  }
  signal?.throwIfAborted();
  return biasVarianceFromPredictions(predictions, yTest, loss);
}
