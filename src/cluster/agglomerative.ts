/**
 * Agglomerative clustering (scikit-learn 1.2's AgglomerativeClustering without connectivity):
 * the full merge tree (linkage.ts: nearest-neighbour chain for ward / complete / average, a
 * minimum spanning tree for single), cut into nClusters clusters or where merges reach
 * distanceThreshold. Memory: complete and average hold the condensed distance matrix
 * (n(n − 1)/2 doubles, as scipy does: 1.6 GB at n = 20,000); ward and single hold O(n p).
 */
import { ParamError } from '../core/errors.js';
import { type CallOptions, Estimator, SIGNAL_ONLY } from '../core/estimator.js';
import type { MatrixLike } from '../core/matrix.js';
import { bool, int, nullable, num, oneOf, optional, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import { cutTree, type Linkage, type LinkageMetric, linkageTree } from './linkage.js';

export type { Linkage, LinkageMetric } from './linkage.js';

export interface AgglomerativeClusteringParams {
  /** Clusters to find, an integer >= 1 and at most the rows; null when distanceThreshold is given. Default: 2. */
  nClusters: number | null;
  /** Merge criterion: 'ward' (least increase of within-cluster variance; Euclidean only), 'complete' (maximum), 'average' (mean) or 'single' (minimum distance). Default: 'ward'. */
  linkage: Linkage;
  /** Distance between rows: 'euclidean', 'manhattan' or 'cosine' (not with ward). Default: 'euclidean'. */
  metric: LinkageMetric;
  /** Merges at this height or above are undone (then nClusters must be null), >= 0. Default: undefined. */
  distanceThreshold: number | undefined;
  /** Keep the merge heights (distances); always kept with distanceThreshold. Default: false. */
  computeDistances: boolean;
}

const DEFAULTS: AgglomerativeClusteringParams = { nClusters: 2, linkage: 'ward', metric: 'euclidean', distanceThreshold: undefined, computeDistances: false };
const SPECS: ParamSpecs<AgglomerativeClusteringParams> = {
  nClusters: nullable(int({ min: 1 })),
  linkage: oneOf('ward', 'complete', 'average', 'single'),
  metric: oneOf('euclidean', 'manhattan', 'cosine'),
  distanceThreshold: optional(num({ min: 0, finite: true })),
  computeDistances: bool(),
};

interface Fitted {
  rows: number;
  p: number;
  labels: Int32Array;
  children: Int32Array;
  distances: Float64Array | null;
  nClusters: number;
}

export class AgglomerativeClustering extends Estimator<AgglomerativeClusteringParams> {
  private state: Fitted | undefined;

  constructor(params: Partial<AgglomerativeClusteringParams> = {}) {
    super(DEFAULTS, params);
  }

  protected get paramSpecs(): ParamSpecs<AgglomerativeClusteringParams> {
    return SPECS;
  }

  protected override checkTogether(p: AgglomerativeClusteringParams): void {
    if ((p.nClusters === null) === (p.distanceThreshold === undefined)) {
      throw new ParamError('AgglomerativeClustering: give exactly one of nClusters and distanceThreshold (set nClusters: null with a distanceThreshold)');
    }
    if (p.linkage === 'ward' && p.metric !== 'euclidean') {
      throw new ParamError(`AgglomerativeClustering: linkage 'ward' works on Euclidean distances only, got metric '${p.metric}'; use another linkage`);
    }
  }

  /** Cluster of each training row (0 .. nClustersFitted − 1). */
  get labels(): Int32Array {
    return Int32Array.from(this.fitted(this.state).labels);
  }

  /** The merges, (rows − 1) × 2 flat: merge i joins children[2i] and children[2i + 1] (a row below rows, or rows + an earlier merge) into node rows + i. */
  get children(): Int32Array {
    return Int32Array.from(this.fitted(this.state).children);
  }

  /** Height of each merge (with computeDistances or distanceThreshold). */
  get distances(): Float64Array {
    const d = this.fitted(this.state).distances;
    if (d === null)
      throw new ParamError('AgglomerativeClustering.distances: fit with computeDistances: true (or a distanceThreshold) to keep the merge heights');
    return Float64Array.from(d);
  }

  /** Clusters found (nClusters, or the count the threshold leaves). */
  get nClustersFitted(): number {
    return this.fitted(this.state).nClusters;
  }

  /** Leaves of the tree (rows fitted). */
  get nLeaves(): number {
    return this.fitted(this.state).rows;
  }

  get nFeaturesIn(): number {
    return this.fitted(this.state).p;
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const Xm = readMatrix(X, 'AgglomerativeClustering.fit: X');
      const { rows: n, cols: p } = Xm;
      const P = this.params;
      if (n < 2) throw new ParamError('AgglomerativeClustering.fit: X needs at least 2 rows');
      if (P.nClusters !== null && P.nClusters > n)
        throw new ParamError(`AgglomerativeClustering.fit: nClusters ${P.nClusters} exceeds the ${n} rows of X; pass at most ${n}`);
      const data = Float64Array.from(Xm.data);
      if (P.metric === 'cosine') {
        for (let i = 0; i < n; i++) {
          let zero = true;
          for (let j = 0; j < p && zero; j++) zero = data[i * p + j] === 0;
          if (zero)
            throw new ParamError(
              `AgglomerativeClustering.fit: row ${i} is all zeros, for which the cosine distance is undefined; drop it or use another metric`,
            );
        }
      }
      const tree = linkageTree(data, n, p, P.linkage, P.metric, opts.signal);
      let k = P.nClusters ?? 1;
      if (P.distanceThreshold !== undefined) {
        const th = P.distanceThreshold;
        k = 1 + tree.distances.reduce((c, d) => c + (d >= th ? 1 : 0), 0);
      }
      const keep = P.computeDistances || P.distanceThreshold !== undefined;
      this.state = { rows: n, p, labels: cutTree(tree.children, n, k), children: tree.children, distances: keep ? tree.distances : null, nClusters: k };
    });
  }

  /** fit, then the training rows' labels. */
  async fitPredict(X: MatrixLike, y?: unknown, opts: CallOptions = {}): Promise<Int32Array> {
    await this.fit(X, y, opts);
    return this.labels;
  }
}
