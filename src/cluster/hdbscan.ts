/**
 * HDBSCAN (scikit-learn 1.3's): core distances (the distance to the minSamples-th nearest row,
 * the row itself counted) on kiln's exact k-NN, the minimum spanning tree of the mutual
 * reachability distance max(core a, core b, d(a, b)) by Prim on dense distances (O(n²) time, O(n)
 * memory: meant for n up to about 20,000), then the condensed tree, stability and cluster selection
 * of hdbscan-tree.ts. Transductive like DBSCAN: labels (-1 noise) and probabilities of the
 * training rows, no predict.
 */
import { ParamError } from '../core/errors.js';
import { Estimator, SIGNAL_ONLY, type CallOptions } from '../core/estimator.js';
import type { MatrixLike } from '../core/matrix.js';
import { bool, int, nullable, num, oneOf, optional, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import { BACKEND_CHOICE, type BackendChoice } from '../backend/contract/names.js';
import { NearestNeighbors } from '../models/neighbors/nearest-neighbors.js';
import { condenseTree, euclidean, labelRows, mutualReachabilityMst, selectClusters, singleLinkage, stability } from './hdbscan-tree.js';

export interface HDBSCANParams {
  /** Fewest rows a cluster may have, an integer >= 2. Default: 5. */
  minClusterSize: number;
  /** Rows (the row itself counted) whose farthest distance is a row's core distance, an integer >= 1; null: minClusterSize. Default: null. */
  minSamples: number | null;
  /** Clusters born at a distance below this merge into their parent, a finite number >= 0. Default: 0. */
  clusterSelectionEpsilon: number;
  /** 'eom' (excess of mass: the most stable clusters) or 'leaf' (the leaves of the condensed tree). Default: 'eom'. */
  clusterSelectionMethod: 'eom' | 'leaf';
  /** Let the root be the one cluster (otherwise a single cluster is reported as noise). Default: false. */
  allowSingleCluster: boolean;
  /** Backend of the core-distance k-NN; undefined uses the process-wide choice (setBackend). Default: undefined. */
  backend: BackendChoice | undefined;
}

const SPECS: ParamSpecs<HDBSCANParams> = {
  minClusterSize: int({ min: 2 }),
  minSamples: nullable(int({ min: 1 })),
  clusterSelectionEpsilon: num({ min: 0, finite: true }),
  clusterSelectionMethod: oneOf('eom', 'leaf'),
  allowSingleCluster: bool(),
  backend: optional(BACKEND_CHOICE),
};

interface Fitted {
  n: number;
  p: number;
  labels: Int32Array;
  probabilities: Float64Array;
  /** The condensed tree: parent, child (a row below n, a cluster from n), lambda, child size. */
  tree: { parent: Int32Array; child: Int32Array; lambda: Float64Array; size: Int32Array };
}

export class HDBSCAN extends Estimator<HDBSCANParams> {
  private state: Fitted | undefined;

  constructor(params: Partial<HDBSCANParams> = {}) {
    super(
      { minClusterSize: 5, minSamples: null, clusterSelectionEpsilon: 0, clusterSelectionMethod: 'eom', allowSingleCluster: false, backend: undefined },
      params,
    );
  }

  protected get paramSpecs(): ParamSpecs<HDBSCANParams> {
    return SPECS;
  }

  /** Cluster of each training row, -1 for noise. */
  get labels(): Int32Array {
    return this.fitted(this.state).labels.slice();
  }

  /** How strongly each row belongs to its cluster, in [0, 1] (0 for noise). */
  get probabilities(): Float64Array {
    return this.fitted(this.state).probabilities.slice();
  }

  /** The condensed tree's rows: parent cluster, child (a row below n, a cluster id from n), lambda = 1 / distance, child size. */
  get condensedTree(): { parent: Int32Array; child: Int32Array; lambda: Float64Array; size: Int32Array } {
    const t = this.fitted(this.state).tree;
    return { parent: t.parent.slice(), child: t.child.slice(), lambda: t.lambda.slice(), size: t.size.slice() };
  }

  get nFeaturesIn(): number {
    return this.fitted(this.state).p;
  }

  async fit(X: MatrixLike, _y?: unknown, opts: CallOptions = {}): Promise<this> {
    this.callOptions('fit', opts, SIGNAL_ONLY);
    return this.transaction(opts.signal, async () => {
      const p = this.params;
      const Xm = readMatrix(X, 'HDBSCAN.fit: X');
      const { rows: n, cols } = Xm;
      const data = Float64Array.from(Xm.data);
      const k = p.minSamples ?? p.minClusterSize;
      if (n < 2) throw new ParamError('HDBSCAN.fit: X has one row; clustering needs at least 2');
      if (k > n) throw new ParamError(`HDBSCAN.fit: minSamples is ${k} but X has only ${n} rows; lower minSamples (or minClusterSize)`);
      const core = new Float64Array(n);
      if (k > 1) {
        const nn = await new NearestNeighbors({ nNeighbors: k, ...(p.backend ? { backend: p.backend } : {}) }).fit(Xm);
        const { indices } = await nn.kneighbors(Xm); // the row itself comes first
        // the distance recomputed in f64 as the spanning tree computes it, so ties compare equal
        for (let i = 0; i < n; i++) core[i] = euclidean(data, cols, i, indices[i * k + k - 1]);
      }
      opts.signal?.throwIfAborted();
      const mst = mutualReachabilityMst(data, n, cols, core, opts.signal);
      const tree = condenseTree(singleLinkage(mst, n), p.minClusterSize);
      const selection = { method: p.clusterSelectionMethod, allowSingleCluster: p.allowSingleCluster, epsilon: p.clusterSelectionEpsilon };
      const clusters = selectClusters(tree, n, stability(tree, n), selection);
      const { labels, probabilities } = labelRows(tree, n, clusters, selection);
      this.state = {
        n,
        p: cols,
        labels,
        probabilities,
        tree: {
          parent: Int32Array.from(tree.parent),
          child: Int32Array.from(tree.child),
          lambda: Float64Array.from(tree.lambda),
          size: Int32Array.from(tree.size),
        },
      };
    });
  }

  /** fit, then the labels. */
  async fitPredict(X: MatrixLike, y?: unknown, opts: CallOptions = {}): Promise<Int32Array> {
    await this.fit(X, y, opts);
    return this.labels;
  }
}
