/**
 * Isolation forest (scikit-learn 1.2's IsolationForest): random trees that split on a random
 * feature at a uniform random threshold; anomalies are isolated in fewer splits. A row's score is
 * −2^(−E[h(x)] / c(maxSamples)), with h the depth of its leaf plus c(rows in the leaf) and c the
 * average path length of an unsuccessful search; the rows are cast to float32 as scikit-learn's
 * are. Trees grow in one flat loop (isolation-tree.ts); rows walk them on the hist family's
 * forest kernels (native threads, WGSL for large batches, or the js reference).
 */
import { ParamError } from '../core/errors.js';
import { type CallOptions, Estimator, SIGNAL_ONLY } from '../core/estimator.js';
import type { MatrixLike } from '../core/matrix.js';
import { bool, int, num, oneOf, optional, type ParamSpecs, union } from '../core/params.js';
import { Rng } from '../core/prng.js';
import { readMatrix } from '../core/read-matrix.js';
import type { HistForest } from '../backend/contract/hist.js';
import { BACKEND_CHOICE, type BackendChoice } from '../backend/contract/names.js';
import { resolveKernels } from '../backend/select.js';
import { averagePathLength, growIsolationForest, type IsolationForestNodes, toHistForest } from './isolation-tree.js';
import { percentile } from '../core/numeric.js';
import { sortedCopy } from '../ops/sort.js';

export interface IsolationForestParams {
  /** Trees, an integer >= 1. Default: 100. */
  nEstimators: number;
  /** Rows per tree: 'auto' (min(256, rows)), a share of the rows in (0, 1], or a count (an integer > 1, capped at the rows). Default: 'auto'. */
  maxSamples: number | 'auto';
  /** Share of outliers in (0, 0.5], setting offset (the scores' percentile); 'auto': offset −0.5. Default: 'auto'. */
  contamination: number | 'auto';
  /** Features per tree: a share of the features in (0, 1], or a count (an integer > 1, at most the features). Default: 1. */
  maxFeatures: number;
  /** Draw each tree's rows with replacement. Default: false. */
  bootstrap: boolean;
  /** Seed of the trees, an integer in [0, 2^32). Default: 0. */
  randomState: number;
  /** Backend for the forest walk (the hist family); undefined uses the process-wide choice (setBackend). Default: undefined. */
  backend: BackendChoice | undefined;
}

const DEFAULTS: IsolationForestParams = {
  nEstimators: 100,
  maxSamples: 'auto',
  contamination: 'auto',
  maxFeatures: 1,
  bootstrap: false,
  randomState: 0,
  backend: undefined,
};
const SPECS: ParamSpecs<IsolationForestParams> = {
  nEstimators: int({ min: 1 }),
  maxSamples: union(num({ min: 0, minExclusive: true, finite: true }), oneOf('auto')),
  contamination: union(num({ min: 0, max: 0.5, minExclusive: true }), oneOf('auto')),
  maxFeatures: num({ min: 0, minExclusive: true, finite: true }),
  bootstrap: bool(),
  randomState: int({ min: 0, max: 0xffffffff }),
  backend: optional(BACKEND_CHOICE),
};

/** The packed forest of a fitted state, built once per state (not part of the model file). */
const packed = new WeakMap<object, HistForest>();

interface Fitted {
  p: number;
  maxSamples: number;
  nodes: IsolationForestNodes;
  offset: number;
}

/** A share in (0, 1] of `total`, or a count (an integer > 1). */
function resolveCount(v: number, total: number, what: string): number {
  if (v <= 1) return Math.max(1, Math.floor(v * total));
  if (!Number.isInteger(v)) throw new ParamError(`IsolationForest: ${what} ${v} is neither a share in (0, 1] nor an integer count; pass e.g. 0.5 or 64`);
  return v;
}

export class IsolationForest extends Estimator<IsolationForestParams> {
  private state: Fitted | undefined;

  constructor(params: Partial<IsolationForestParams> = {}) {
    super(DEFAULTS, params);
  }

  protected get paramSpecs(): ParamSpecs<IsolationForestParams> {
    return SPECS;
  }

  /** Threshold on scoreSamples: below it is an outlier (−0.5 for contamination 'auto'). */
  get offset(): number {
    return this.fitted(this.state).offset;
  }

  /** Rows each tree was grown on. */
  get maxSamplesFitted(): number {
    return this.fitted(this.state).maxSamples;
  }

  get nFeaturesIn(): number {
    return this.fitted(this.state).p;
  }

  /** Nodes of each tree (leaves included). */
  get nodeCounts(): Int32Array {
    const r = this.fitted(this.state).nodes.roots;
    return Int32Array.from({ length: r.length - 1 }, (_, t) => r[t + 1] - r[t]);
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const Xm = readMatrix(X, 'IsolationForest.fit: X');
      const { rows: n, cols: p } = Xm;
      const P = this.params;
      const maxSamples = P.maxSamples === 'auto' ? Math.min(256, n) : Math.min(n, resolveCount(P.maxSamples, n, 'maxSamples'));
      const maxFeatures = resolveCount(P.maxFeatures, p, 'maxFeatures');
      if (maxFeatures > p)
        throw new ParamError(`IsolationForest: maxFeatures ${maxFeatures} exceeds the ${p} features of X; pass at most ${p} or a share in (0, 1]`);
      const data = Xm.data instanceof Float32Array ? Xm.data : Float32Array.from(Xm.data);
      const nodes = growIsolationForest(data, n, p, { nTrees: P.nEstimators, maxSamples, maxFeatures, bootstrap: P.bootstrap }, new Rng(P.randomState));
      const state: Fitted = { p, maxSamples, nodes, offset: -0.5 };
      if (P.contamination !== 'auto') state.offset = percentile(sortedCopy(await this.scores(state, data, n)), 100 * P.contamination);
      this.state = state;
    });
  }

  /** −2^(−mean path length / c(maxSamples)) per row; path lengths summed by the hist family's forest walk. */
  private async scores(s: Fitted, data: Float32Array, rows: number): Promise<Float64Array> {
    const trees = s.nodes.roots.length - 1;
    let forest = packed.get(s.nodes);
    if (!forest) packed.set(s.nodes, (forest = toHistForest(s.nodes)));
    const { kernels } = await resolveKernels('hist', this.params.backend, rows * trees, 'IsolationForest');
    const depth = new Float64Array(rows);
    await kernels.predict({ x: data, n: rows, p: s.p, forest, treeBegin: 0, treeEnd: trees, out: depth, outCols: 1, leafIndex: null });
    const denom = trees * averagePathLength(s.maxSamples);
    for (let i = 0; i < rows; i++) depth[i] = -(2 ** (-depth[i] / denom));
    return depth;
  }

  /** Minus the anomaly score of each row (about −0.5 for inliers; near −1 for clear anomalies). */
  async scoreSamples(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array> {
    this.callOptions('scoreSamples', opts, SIGNAL_ONLY);
    const s = this.fitted(this.state);
    return this.reading(opts.signal, async () => {
      const Q = readMatrix(X, 'IsolationForest.scoreSamples: X', { features: s.p });
      const data = Q.data instanceof Float32Array ? Q.data : Float32Array.from(Q.data);
      return this.scores(s, data, Q.rows);
    });
  }

  /** scoreSamples − offset (negative: outlier). */
  async decisionFunction(X: MatrixLike, opts: CallOptions = {}): Promise<Float64Array> {
    const sc = await this.scoreSamples(X, opts);
    const off = this.fitted(this.state).offset;
    return sc.map((v) => v - off);
  }

  /** +1 (inlier) or −1 (outlier) per row. */
  async predict(X: MatrixLike, opts: CallOptions = {}): Promise<Int32Array> {
    const dfn = await this.decisionFunction(X, opts);
    return Int32Array.from(dfn, (v) => (v < 0 ? -1 : 1));
  }

  /** fit, then predict on the same rows. */
  async fitPredict(X: MatrixLike, y?: unknown, opts: CallOptions = {}): Promise<Int32Array> {
    await this.fit(X, y, opts);
    return this.predict(X, opts);
  }
}
