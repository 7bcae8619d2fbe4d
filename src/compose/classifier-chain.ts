/**
 * ClassifierChain (scikit-learn 1.2's): one classifier per output, taken in `order`; the j-th in
 * the chain sees X and the chain's earlier outputs as extra columns. In fit those columns are the
 * true targets, or with `cv` the out-of-fold predictions of the chain's earlier models
 * (cross_val_predict on the same columns, stratified folds for a count); in predict they are the
 * chain's own predictions. order 'random' draws a permutation from kiln's seeded Rng (so it
 * differs from numpy's for the same seed). The targets must be numbers: they become features.
 */
import { ParamError, ShapeError } from '../core/errors.js';
import { Estimator, SIGNAL_ONLY, WEIGHTED_FIT, type CallOptions, type WeightedFitOptions } from '../core/estimator.js';
import type { Label } from '../core/labels.js';
import { Matrix } from '../core/matrix.js';
import { custom, int, list, nullable, oneOf, optional, union, type ParamSpec, type ParamSpecs } from '../core/params.js';
import { Rng } from '../core/prng.js';
import { readMatrix } from '../core/read-matrix.js';
import { crossValPredict } from '../selection/cross-val-predict.js';
import type { CvOption } from '../selection/cv.js';
import { asColumns } from './ensemble-members.js';
import { appendColumns, readTargets } from './multi-targets.js';
import { cloneDeep, isEstimatorLike } from './params-path.js';

export interface ClassifierChainParams {
  /** The classifier fitted once per output (cloned); fit needs one. Default: undefined. */
  estimator: unknown;
  /** The chain's order: output indices (a permutation of 0..outputs-1), 'random', or null for 0, 1, 2, …. Default: null. */
  order: number[] | 'random' | null;
  /** How the earlier outputs are given in fit: null (the true targets) or a fold count, splitter or splits for out-of-fold predictions. Default: null. */
  cv: CvOption | null;
  /** Seed of order 'random', an integer in [0, 2^32). Default: 0. */
  randomState: number;
}

const SPECS: ParamSpecs<ClassifierChainParams> = {
  estimator: optional(custom<unknown>('a kiln classifier (something with fit)', isEstimatorLike, { probes: [1] })),
  order: nullable(union(oneOf('random'), list(int({ min: 0 }), { minLength: 1, distinct: true }))) as ParamSpec<number[] | 'random' | null>,
  cv: nullable(
    union(
      int({ min: 2 }),
      custom<CvOption>('a splitter or a list of splits', (v) => Array.isArray(v) || typeof (v as { split?: unknown })?.split === 'function'),
    ),
  ) as ParamSpec<CvOption | null>,
  randomState: int({ min: 0, max: 0xffffffff }),
};

interface ChainState {
  nFeatures: number;
  order: Int32Array;
  estimators: unknown[];
  classes: Label[][];
}

type Member = { fit: (...a: unknown[]) => Promise<unknown>; predict(X: unknown): Promise<ArrayLike<number>> } & Record<string, unknown>;

export class ClassifierChain extends Estimator<ClassifierChainParams> {
  private state: ChainState | undefined;

  constructor(params: Partial<ClassifierChainParams> = {}) {
    super({ estimator: undefined, order: null, cv: null, randomState: 0 }, params);
  }

  protected get paramSpecs(): ParamSpecs<ClassifierChainParams> {
    return SPECS;
  }

  /** The fitted classifiers, in chain order (scikit-learn's estimators_). */
  get estimators(): unknown[] {
    return [...this.fitted(this.state).estimators];
  }

  /** The order the chain took the outputs in (scikit-learn's order_). */
  get order(): Int32Array {
    return this.fitted(this.state).order.slice();
  }

  /** Each output's classes, by output index (not chain position). */
  get classes(): Label[][] {
    const s = this.fitted(this.state);
    const out: Label[][] = new Array(s.order.length);
    s.order.forEach((o, j) => {
      out[o] = [...s.classes[j]];
    });
    return out;
  }

  async fit(X: unknown, Y: unknown, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const owner = 'ClassifierChain.fit';
      const p = this.params;
      if (p.estimator === undefined) throw new ParamError(`${owner}: no estimator; pass { estimator: new LogisticRegression() } (or any kiln classifier)`);
      const Xm = readMatrix(X as never, `${owner}: X`, { nonFinite: 'keep' });
      const T = readTargets(Y, Xm.rows, owner);
      if (!T.numeric) throw new ShapeError(`${owner}: Y must hold numbers (the chain feeds earlier outputs to later classifiers as columns)`);
      const L = T.columns.length,
        n = Xm.rows;
      const order = chainOrder(p.order, L, p.randomState, owner);
      if (opts.sampleWeight && opts.sampleWeight.length !== n)
        throw new ParamError(`${owner}: sampleWeight has ${opts.sampleWeight.length} entries but X has ${n} rows`);
      const fo = { ...(opts.sampleWeight ? { sampleWeight: opts.sampleWeight } : {}), ...(opts.signal ? { signal: opts.signal } : {}) };
      // the chain's extra columns, in chain order: true targets, or (with cv) filled in as the chain goes
      const extra = new Float64Array(n * L);
      if (p.cv === null) for (let r = 0; r < n; r++) for (let j = 0; j < L; j++) extra[r * L + j] = T.columns[order[j]][r] as number;
      const estimators: unknown[] = [],
        classes: Label[][] = [];
      for (let j = 0; j < L; j++) {
        opts.signal?.throwIfAborted();
        const Xj = appendColumns(Xm, prefix(extra, n, L, j), j);
        const y = T.columns[order[j]];
        const est = cloneDeep(p.estimator) as Member;
        await (Object.keys(fo).length ? est.fit(Xj, y, fo) : est.fit(Xj, y));
        estimators.push(est);
        classes.push([...((est.classes as Label[] | undefined) ?? [...new Set(y)].sort())]);
        if (p.cv !== null && j < L - 1) {
          const oof = (await crossValPredict(p.estimator, Xj, y, {
            cv: p.cv,
            ...(opts.sampleWeight ? { fitParams: { sampleWeight: opts.sampleWeight } } : {}),
            ...(opts.signal ? { signal: opts.signal } : {}),
          })) as ArrayLike<number>;
          for (let r = 0; r < n; r++) extra[r * L + j] = oof[r];
        }
      }
      this.state = { nFeatures: Xm.cols, order, estimators, classes };
    });
  }

  /** Runs the chain on X: each model's `method` output (one column) and its predictions, in chain order. */
  private async run(X: unknown, fn: string, method: 'predict' | 'predictProba' | 'decisionFunction'): Promise<Matrix<Float64Array>> {
    const s = this.fitted(this.state);
    const Xm = readMatrix(X as never, `ClassifierChain.${fn}: X`, { nonFinite: 'keep', features: s.nFeatures });
    const n = Xm.rows,
      L = s.order.length;
    const pred = new Float64Array(n * L),
      out = new Float64Array(n * L);
    for (let j = 0; j < L; j++) {
      const est = s.estimators[j] as Member;
      const Xj = appendColumns(Xm, prefix(pred, n, L, j), j);
      const labels = await est.predict(Xj);
      for (let r = 0; r < n; r++) pred[r * L + j] = labels[r];
      if (method === 'predict') continue;
      if (typeof est[method] !== 'function') throw new ParamError(`ClassifierChain.${fn}: ${est.constructor.name} has no ${method}`);
      const m = asColumns(await (est[method] as (X: unknown) => Promise<unknown>)(Xj));
      // scikit-learn keeps the probability of the second class (and a binary decision value as it is)
      const col = method === 'predictProba' ? 1 : 0;
      if (m.cols <= col) throw new ShapeError(`ClassifierChain.${fn}: output ${s.order[j]} was fitted on one class only; predictProba needs two`);
      for (let r = 0; r < n; r++) out[r * L + j] = m.data[r * m.cols + col];
    }
    // back from chain order to output order
    const src = method === 'predict' ? pred : out;
    const res = new Float64Array(n * L);
    for (let r = 0; r < n; r++) for (let j = 0; j < L; j++) res[r * L + s.order[j]] = src[r * L + j];
    return new Matrix(res, n, L);
  }

  /** The predicted labels, rows × outputs. */
  async predict(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predict', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, () => this.run(X, 'predict', 'predict'));
  }

  /** Each output's probability of its second class, rows × outputs (as scikit-learn's ClassifierChain). */
  async predictProba(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('predictProba', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, () => this.run(X, 'predictProba', 'predictProba'));
  }

  /** Each output's decision value, rows × outputs. */
  async decisionFunction(X: unknown, opts: CallOptions = {}): Promise<Matrix<Float64Array>> {
    this.callOptions('decisionFunction', opts, SIGNAL_ONLY);
    return this.reading(opts.signal, () => this.run(X, 'decisionFunction', 'decisionFunction'));
  }

  /** Subset accuracy: the share of rows whose every output is right. */
  async score(X: unknown, Y: unknown): Promise<number> {
    const p = await this.predict(X);
    const T = readTargets(Y, p.rows, 'ClassifierChain.score');
    let hit = 0;
    for (let r = 0; r < p.rows; r++) if (T.columns.every((c, j) => c[r] === p.data[r * p.cols + j])) hit++;
    return hit / p.rows;
  }
}

/** The first `j` of the chain's `L` columns, row by row. */
function prefix(extra: Float64Array, n: number, L: number, j: number): Float64Array {
  const out = new Float64Array(n * j);
  for (let r = 0; r < n; r++) for (let c = 0; c < j; c++) out[r * j + c] = extra[r * L + c];
  return out;
}

/** The chain order: a permutation of the L outputs. */
function chainOrder(order: ClassifierChainParams['order'], L: number, seed: number, owner: string): Int32Array {
  if (order === null) return Int32Array.from({ length: L }, (_, i) => i);
  if (order === 'random') return new Rng(seed).shuffle(Int32Array.from({ length: L }, (_, i) => i));
  const sorted = [...order].sort((a, b) => a - b);
  if (sorted.length !== L || sorted.some((v, i) => v !== i))
    throw new ParamError(`${owner}: order [${order.join(', ')}] is not a permutation of the ${L} outputs 0..${L - 1}; list each output index once`);
  return Int32Array.from(order);
}
