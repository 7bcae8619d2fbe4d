/**
 * Density-based clustering (scikit-learn 1.2's DBSCAN): a row with at least minSamples (weighted)
 * rows within eps, itself included, is a core sample; clusters are the core samples connected
 * through each other's neighbourhoods plus the border rows they reach (a border row goes to the
 * first cluster that reaches it, clusters numbered in row order); the rest is noise (-1).
 * Neighbourhoods come from the knn family's radius query (native: GEMM tiles, exact f64 decision).
 */
import { Estimator, WEIGHTED_FIT, type WeightedFitOptions } from '../core/estimator.js';
import { Matrix, type MatrixLike } from '../core/matrix.js';
import { int, num, oneOf, optional, type ParamSpecs } from '../core/params.js';
import { readMatrix } from '../core/read-matrix.js';
import type { RadiusResult } from '../backend/contract/knn.js';
import { BACKEND_CHOICE, type BackendChoice } from '../backend/contract/names.js';
import { resolveBackend } from '../backend/select.js';
import { readSampleWeight } from '../models/common/targets.js';

export interface DBSCANParams {
  /** Neighbourhood radius (Euclidean distance <= eps), a finite number > 0. Default: 0.5. */
  eps: number;
  /** (Weighted) rows within eps, the row itself included, that make a core sample; an integer >= 1. Default: 5. */
  minSamples: number;
  /** The distance: 'euclidean'. Default: 'euclidean'. */
  metric: 'euclidean';
  /** Backend for the radius query; undefined uses the process-wide choice (setBackend). Default: undefined. */
  backend: BackendChoice | undefined;
}

const DEFAULTS: DBSCANParams = { eps: 0.5, minSamples: 5, metric: 'euclidean', backend: undefined };
const SPECS: ParamSpecs<DBSCANParams> = {
  eps: num({ min: 0, minExclusive: true, finite: true }),
  minSamples: int({ min: 1 }),
  metric: oneOf('euclidean'),
  backend: optional(BACKEND_CHOICE),
};

interface Fitted {
  labels: Int32Array;
  core: Int32Array;
  rows: number;
  p: number;
  components: Float64Array;
}

export class DBSCAN extends Estimator<DBSCANParams> {
  private state: Fitted | undefined;

  constructor(params: Partial<DBSCANParams> = {}) {
    super(DEFAULTS, params);
  }

  protected get paramSpecs(): ParamSpecs<DBSCANParams> {
    return SPECS;
  }

  /** Cluster of each training row, -1 for noise. */
  get labels(): Int32Array {
    return Int32Array.from(this.fitted(this.state).labels);
  }

  /** Indices of the core samples, ascending. */
  get coreSampleIndices(): Int32Array {
    return Int32Array.from(this.fitted(this.state).core);
  }

  /** The core samples' rows. */
  get components(): Matrix<Float64Array> {
    const s = this.fitted(this.state);
    return new Matrix(Float64Array.from(s.components), s.core.length, s.p);
  }

  get nFeaturesIn(): number {
    return this.fitted(this.state).p;
  }

  async fit(X: MatrixLike, _y?: unknown, opts: WeightedFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const Xm = readMatrix(X, 'DBSCAN.fit: X');
      const w = readSampleWeight(opts.sampleWeight, Xm.rows, 'DBSCAN.fit: sampleWeight');
      const { rows: n, cols: p } = Xm;
      const backend = await resolveBackend(this.params.backend, n * n * p);
      const index = await backend.knn.index(Xm.data, n, p, 'euclidean', 64 << 20);
      let nb: RadiusResult;
      try {
        nb = await backend.knn.radius(index, Xm.data, n, this.params.eps, false);
      } finally {
        index.dispose();
      }
      const { offsets, indices } = nb;
      const core = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        let count = 0;
        for (let t = offsets[i]; t < offsets[i + 1]; t++) count += w ? w[indices[t]] : 1;
        core[i] = count >= this.params.minSamples ? 1 : 0;
      }
      const labels = new Int32Array(n).fill(-1);
      const stack: number[] = [];
      let cluster = 0;
      for (let s = 0; s < n; s++) {
        if (labels[s] !== -1 || !core[s]) continue;
        stack.push(s);
        while (stack.length) {
          const i = stack.pop() as number;
          if (labels[i] !== -1) continue;
          labels[i] = cluster;
          if (!core[i]) continue;
          for (let t = offsets[i]; t < offsets[i + 1]; t++) if (labels[indices[t]] === -1) stack.push(indices[t]);
        }
        cluster++;
      }
      const coreIdx = Int32Array.from(core.keys()).filter((i) => core[i]);
      const components = new Float64Array(coreIdx.length * p);
      coreIdx.forEach((r, t) => {
        for (let f = 0; f < p; f++) components[t * p + f] = Xm.data[r * p + f];
      });
      this.state = { labels, core: coreIdx, rows: n, p, components };
    });
  }

  /** fit, then the labels. */
  async fitPredict(X: MatrixLike, y?: unknown, opts: WeightedFitOptions = {}): Promise<Int32Array> {
    await this.fit(X, y, opts);
    return this.labels;
  }
}
