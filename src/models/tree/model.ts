/**
 * What every fitted tree model shares: the ensemble, prediction of raw scores (batched on
 * the backend, or synchronously in-process for a few rows), staged scores, feature
 * importances and SHAP contributions.
 */
import { readMatrix } from '../../core/read-matrix.js';
import { Estimator } from '../../core/estimator.js';
import { describeValue, isRow, Matrix, type MatrixLike, type RowLike, type SyncRows } from '../../core/matrix.js';
import { DTypeError, ParamError, ShapeError } from '../../core/errors.js';
import { readTarget, type RegressionTarget } from '../common/targets.js';
import type { BackendChoice } from '../../backend/backend.js';
import { resolveCpuBackendSync } from '../../backend/select.js';
import type { HistRowPredictor } from '../../backend/contract/hist.js';
import { predictBackend } from './engine.js';
import type { TreeEnsemble } from './ensemble.js';
import { treeShap } from './shap.js';

const validated = new WeakSet<TreeEnsemble>();

/** A regression target of one output (1-D, or one column), checked by readTarget. */
export function singleTarget(y: RegressionTarget, name: string): Float64Array {
  const t = readTarget(y, name);
  if (t.outputs !== 1) throw new ShapeError(`${name} has ${t.outputs} outputs; tree regressors predict one target`);
  return t.y;
}

function checked(e: TreeEnsemble, owner: string): TreeEnsemble {
  if (!validated.has(e)) {
    e.validate(`${owner}: the fitted trees`);
    validated.add(e);
  }
  return e;
}

export interface FittedTrees {
  ensemble: TreeEnsemble;
  /** Raw score before any tree, per output column. */
  baseScore: Float64Array;
  features: number;
}

/** base + Σ trees, n × outputs (backend kernel, off the main thread for large inputs). */
export async function rawScores(f: FittedTrees, X: MatrixLike, choice: BackendChoice, owner: string, trees?: [number, number]): Promise<Float64Array> {
  const e = checked(f.ensemble, owner);
  const Xm = readMatrix(X, `${owner}: X`, { nonFinite: 'keep', features: f.features });
  const k = e.outputs,
    n = Xm.rows;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] = f.baseScore[c];
  const [begin, end] = trees ?? [0, e.trees];
  const hist = await predictBackend(choice, n * Math.max(1, end - begin), owner);
  await hist.predict({ x: Xm.data, n, p: f.features, forest: e.forest(), treeBegin: begin, treeEnd: end, out, outCols: k, leafIndex: null });
  return out;
}

/**
 * The same, synchronously on the calling thread (the fast path for single rows and small
 * batches): the native kernel on a forest prepared once, or the js reference without the addon.
 */
export function rawScoresSync(f: FittedTrees, X: SyncRows, choice: BackendChoice, owner: string): Float64Array {
  if (isRow(X)) return rowScoresSync(f, X, choice, owner);
  // One row as a matrix takes the same path (the server's single requests come as such).
  if (X instanceof Matrix && X.rows === 1 && X.cols === f.features) return rowScoresSync(f, X.data, choice, owner);
  if (Array.isArray(X) && X.length === 1 && Array.isArray(X[0])) return rowScoresSync(f, X[0], choice, owner);
  const e = checked(f.ensemble, owner);
  const Xm = readMatrix(X, `${owner}: X`, { nonFinite: 'keep', features: f.features });
  const k = e.outputs,
    n = Xm.rows;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] = f.baseScore[c];
  // Every CPU backend predicts synchronously; webgpu has no synchronous path, so its models use the CPU here.
  const backend = resolveCpuBackendSync(choice, owner);
  backend.hist.predictSync({ x: Xm.data, n, p: f.features, forest: e.forest(), treeBegin: 0, treeEnd: e.trees, out, outCols: k, leafIndex: null });
  return out;
}

/** A fitted forest's single-row scorer on one backend. */
interface RowPath {
  backend: object;
  forest: object;
  scorer: HistRowPredictor;
}
const rowPaths = new WeakMap<FittedTrees, RowPath>();

/**
 * One row (number[] or Float64Array of the model's features) without a Matrix: base + Σ trees,
 * `outputs` values, bit for bit what rawScoresSync gives for that row as a 1-row matrix. Values
 * are taken as the trees take them (NaN: missing; categorical features: their integer codes).
 */
function rowScoresSync(f: FittedTrees, X: RowLike | Float32Array, choice: BackendChoice, owner: string): Float64Array {
  const e = f.ensemble,
    p = f.features;
  if (X.length !== p) throw new ShapeError(`${owner}: the row has ${X.length} values but the model was fitted with ${p} features; pass one value per feature`);
  const backend = resolveCpuBackendSync(choice, owner);
  const forest = e.forest(),
    k = e.outputs;
  let path = rowPaths.get(f);
  if (!path || path.backend !== backend || path.forest !== forest) {
    checked(e, owner);
    path = { backend, forest, scorer: backend.hist.rowPredictor(forest, p, k) };
    rowPaths.set(f, path);
  }
  const { row, scores, run } = path.scorer;
  if (X instanceof Float64Array || X instanceof Float32Array) row.set(X);
  else {
    for (let j = 0; j < p; j++) {
      const v = X[j];
      if (typeof v !== 'number')
        throw new DTypeError(`${owner}: row[${j}] is ${describeValue(v)}; expected a number (NaN for missing, integer codes for categorical features)`);
      row[j] = v;
    }
  }
  for (let c = 0; c < k; c++) scores[c] = f.baseScore[c];
  run();
  return scores.slice();
}

/** Leaf node index of every row in every tree, n × trees. */
export async function applyTrees(f: FittedTrees, X: MatrixLike, choice: BackendChoice, owner: string): Promise<Matrix<Float64Array>> {
  const e = checked(f.ensemble, owner);
  const Xm = readMatrix(X, `${owner}: X`, { nonFinite: 'keep', features: f.features });
  const leafIndex = new Int32Array(Xm.rows * e.trees);
  const hist = await predictBackend(choice, Xm.rows * e.trees, owner);
  await hist.predict({ x: Xm.data, n: Xm.rows, p: f.features, forest: e.forest(), treeBegin: 0, treeEnd: e.trees, out: null, outCols: e.outputs, leafIndex });
  return new Matrix(Float64Array.from(leafIndex), Xm.rows, e.trees);
}

/**
 * Importance of each feature: 'gain' sums the split gains, 'split' counts the splits.
 * normalize: divide by the total (scikit-learn's feature_importances_ are normalised gains).
 */
export function featureImportance(f: FittedTrees, type: 'gain' | 'split', normalize: boolean): Float64Array {
  if (type !== 'gain' && type !== 'split') throw new ParamError(`featureImportance: type must be 'gain' or 'split', got ${String(type)}`);
  const e = f.ensemble,
    out = new Float64Array(f.features);
  for (let j = 0; j < e.nodes; j++) if (e.feature[j] >= 0) out[e.feature[j]] += type === 'gain' ? e.gain[j] : 1;
  if (normalize) {
    const total = out.reduce((a, b) => a + b, 0);
    if (total > 0) for (let i = 0; i < out.length; i++) out[i] /= total;
  }
  return out;
}

/**
 * Per-row feature contributions (TreeSHAP, path-dependent): for each output column a matrix
 * n × (features + 1) whose last column is the expected value; each row sums to the raw score.
 */
export function shapValues(f: FittedTrees, X: MatrixLike, owner: string): Matrix<Float64Array>[] {
  const e = checked(f.ensemble, owner);
  const Xm = readMatrix(X, `${owner}: X`, { nonFinite: 'keep', features: f.features });
  return treeShap(e, f.baseScore, Xm);
}

/**
 * What every fitted tree estimator exposes, over its fitted state: the trees, importances,
 * leaf indices, SHAP values, and raw scores (async or synchronous).
 */
export abstract class TreeModel<P extends { backend: BackendChoice }, S extends FittedTrees> extends Estimator<P> {
  protected state: S | undefined;

  /** The trees, in the flat layout prediction uses. */
  get ensemble(): TreeEnsemble {
    return this.fitted(this.state).ensemble;
  }
  get nFeaturesIn(): number {
    return this.fitted(this.state).features;
  }
  /** Normalised total gain (impurity decrease) per feature, summing to 1, as scikit-learn's feature_importances_. */
  get featureImportances(): Float64Array {
    return featureImportance(this.fitted(this.state), 'gain', true);
  }
  /** Raw importance: 'split' = times a feature is used, 'gain' = total gain of its splits. */
  featureImportance(type: 'split' | 'gain' = 'split'): Float64Array {
    return featureImportance(this.fitted(this.state), type, false);
  }

  /** Leaf index of each row in each tree (rows × trees). */
  async apply(X: MatrixLike): Promise<Matrix<Float64Array>> {
    return applyTrees(this.fitted(this.state), X, this.params.backend, `${this.constructor.name}.apply`);
  }

  /**
   * Per-row feature contributions (TreeSHAP) to the raw score: one matrix per score column,
   * rows × (features + 1), the last column being the expected value; rows sum to the raw score.
   */
  shapValues(X: MatrixLike): Matrix<Float64Array>[] {
    return shapValues(this.fitted(this.state), X, `${this.constructor.name}.shapValues`);
  }

  protected async raw(X: MatrixLike, method: string): Promise<Float64Array> {
    return rawScores(this.fitted(this.state), X, this.params.backend, `${this.constructor.name}.${method}`);
  }

  protected rawSync(X: SyncRows, method: string): Float64Array {
    return rawScoresSync(this.fitted(this.state), X, this.params.backend, `${this.constructor.name}.${method}`);
  }
}
