/**
 * permutationImportance (scikit-learn's permutation_importance): how much a fitted model's score
 * drops when one feature's values are shuffled, breaking its link to the target. Each feature is
 * shuffled nRepeats times; every feature sees the same sequence of row permutations (one seed
 * drawn from randomState, as scikit-learn).
 */
import { ParamError } from '../core/errors.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { Rng } from '../core/prng.js';
import { readMatrix } from '../core/read-matrix.js';
import { checkOptions } from '../core/validate.js';
import { resolveScorers, type MultiScoring } from './scorers.js';

export interface PermutationImportanceOptions {
  /** A scorer (name, scorer, function) or several (list / record); default: the estimator's score. */
  scoring?: MultiScoring;
  /** Shuffles per feature. Default: 5. */
  nRepeats?: number;
  /** Seed of the shuffles. Default: 0. */
  randomState?: number;
  /** Score each repeat on this many rows drawn without replacement (a count, or a fraction in (0, 1]). Default: all rows. */
  maxSamples?: number;
  signal?: AbortSignal;
}

export interface PermutationImportanceResult {
  /** Mean score drop per feature. */
  importancesMean: Float64Array;
  /** Standard deviation (ddof 0) of the drops per feature. */
  importancesStd: Float64Array;
  /** importances[j][r]: the drop for feature j in repeat r. */
  importances: Float64Array[];
}

/**
 * Score drops per feature. With several scorers, one result per scorer name; with one, the
 * result itself.
 */
export async function permutationImportance(
  estimator: unknown,
  X: MatrixLike,
  y: unknown,
  opts: PermutationImportanceOptions = {},
): Promise<PermutationImportanceResult & { byScorer?: Record<string, PermutationImportanceResult> }> {
  const fn = 'permutationImportance';
  checkOptions(opts, ['scoring', 'nRepeats', 'randomState', 'maxSamples', 'signal'], fn);
  const nRepeats = opts.nRepeats ?? 5;
  if (!Number.isInteger(nRepeats) || nRepeats < 1) throw new ParamError(`${fn}: nRepeats must be an integer >= 1, got ${String(nRepeats)}`);
  const seed = opts.randomState ?? 0;
  if (!Number.isInteger(seed)) throw new ParamError(`${fn}: randomState must be an integer, got ${String(seed)}`);
  if (typeof (estimator as { predict?: unknown })?.predict !== 'function') throw new ParamError(`${fn}: estimator must be a fitted model with predict`);
  const m = readMatrix(X, `${fn}: X`, { nonFinite: 'keep' });
  const yArr = y as ArrayLike<unknown>;
  if (yArr?.length !== m.rows) throw new ParamError(`${fn}: y has ${yArr?.length} values but X has ${m.rows} rows; pass one per row`);
  const { scorers, multi } = resolveScorers(opts.scoring, estimator, fn);
  const ms = opts.maxSamples;
  const nRows = ms === undefined ? m.rows : Number.isInteger(ms) ? ms : Math.floor(ms * m.rows);
  if (ms !== undefined && !(nRows >= 1 && nRows <= m.rows && (Number.isInteger(ms) || (ms > 0 && ms <= 1)))) {
    throw new ParamError(`${fn}: maxSamples must be a count in [1, ${m.rows}] or a fraction in (0, 1], got ${String(ms)}`);
  }
  const scoreAll = async (Xs: Matrix, ys: unknown) => {
    const out: Record<string, number> = {};
    for (const [k, s] of scorers) out[k] = await s(estimator, Xs, ys);
    return out;
  };
  const baseline = await scoreAll(m, y);
  const columnSeed = new Rng(seed).nextUint32() | 0;
  const names = [...scorers.keys()];
  const drops = names.map(() => Array.from({ length: m.cols }, () => new Float64Array(nRepeats)));
  for (let j = 0; j < m.cols; j++) {
    const rng = new Rng(columnSeed);
    let Xr = m,
      yr: unknown = y;
    if (nRows < m.rows) {
      // scored on one subsample per feature (the same rows for every feature: the same seed)
      const pick = rng.shuffle(Int32Array.from({ length: m.rows }, (_, i) => i)).slice(0, nRows);
      Xr = m.takeRows(pick);
      yr = Array.from(pick, (i) => yArr[i]);
    }
    const rows = Int32Array.from({ length: Xr.rows }, (_, i) => i);
    for (let r = 0; r < nRepeats; r++) {
      opts.signal?.throwIfAborted();
      rng.shuffle(rows); // cumulative, as scikit-learn shuffles one index array repeatedly
      const data = Float64Array.from(Xr.data);
      for (let i = 0; i < Xr.rows; i++) data[i * m.cols + j] = Xr.data[rows[i] * m.cols + j];
      const permuted = await scoreAll(new Matrix(data, Xr.rows, m.cols), yr);
      names.forEach((k, t) => {
        drops[t][j][r] = baseline[k] - permuted[k];
      });
    }
  }
  const summarise = (imp: Float64Array[]): PermutationImportanceResult => {
    const mean = Float64Array.from(imp, (v) => v.reduce((a, b) => a + b, 0) / v.length);
    const std = Float64Array.from(imp, (v, j) => Math.sqrt(v.reduce((a, b) => a + (b - mean[j]) ** 2, 0) / v.length));
    return { importancesMean: mean, importancesStd: std, importances: imp };
  };
  const results = names.map((_, t) => summarise(drops[t]));
  if (!multi) return results[0];
  return { ...results[0], byScorer: Object.fromEntries(names.map((k, t) => [k, results[t]])) };
}
