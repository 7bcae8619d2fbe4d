/**
 * Mini-batch k-means (scikit-learn 1.2's MiniBatchKMeans): centres initialised by k-means++ (or
 * 'random') on a random subset of initSize rows, the best of nInit inits on a validation sample;
 * then steps on random batches, each centre moving to the running weighted mean of the rows it has
 * received (per-centre learning rate 1/count); early stopping on an exponentially weighted
 * average of the batch inertia (maxNoImprovement) or on the centre shift (tol); scikit-learn's
 * random reassignment of centres whose count falls below reassignmentRatio × the largest count.
 * partialFit runs one step on the rows it is given.
 */
import { ShapeError } from '../core/errors.js';
import { WEIGHTED_FIT } from '../core/estimator.js';
import type { FloatArray, MatrixLike } from '../core/matrix.js';
import { bool, int, nullable, num, oneOf, optional, union, type ParamSpecs } from '../core/params.js';
import { Rng } from '../core/prng.js';
import type { KmeansKernels } from '../backend/contract/kmeans.js';
import { BACKEND_CHOICE, type BackendChoice } from '../backend/contract/names.js';
import { CentroidClusterer, type KMeansFitOptions, scaledTol } from './centroid-base.js';
import { kmeansPlusPlus, randomInit } from './init.js';
import { INIT_SPEC, type KMeansInit } from './kmeans-params.js';

export interface MiniBatchKMeansParams {
  /** Number of clusters, an integer >= 1 and at most the rows fitted. Default: 8. */
  nClusters: number;
  /** 'k-means++', 'random', or the initial centres as nClusters rows. Default: 'k-means++'. */
  init: KMeansInit;
  /** Passes over the data at most (steps = maxIter × rows / batchSize), an integer >= 1. Default: 100. */
  maxIter: number;
  /** Rows per step, an integer >= 1. Default: 1024. */
  batchSize: number;
  /** Compute labels and inertia over all rows after fit (else inertia is the smoothed batch inertia × rows and labels are unavailable). Default: true. */
  computeLabels: boolean;
  /** Seed of the initialisation, the batches and the reassignments, an integer in [0, 2^32). Default: 0. */
  randomState: number;
  /** Stop when the squared centre shift of a step is <= tol × the mean feature variance (0: off), >= 0. Default: 0. */
  tol: number;
  /** Stop after this many steps without a new lowest smoothed batch inertia, an integer >= 1; null: never. Default: 10. */
  maxNoImprovement: number | null;
  /** Rows drawn (with replacement) to initialise the centres on, an integer >= 1; null: 3 × batchSize (at least 3 × nClusters). Default: null. */
  initSize: number | null;
  /** Initialisations tried (each scored on a validation sample), an integer >= 1 or 'auto' (1 for 'k-means++', 3 for 'random'). Default: 3. */
  nInit: number | 'auto';
  /** Centres whose count is below this fraction of the largest count are moved to random batch rows, in [0, 1]. Default: 0.01. */
  reassignmentRatio: number;
  /** Backend for the kmeans kernels; undefined uses the process-wide choice (setBackend). Default: undefined. */
  backend: BackendChoice | undefined;
}

const DEFAULTS: MiniBatchKMeansParams = {
  nClusters: 8,
  init: 'k-means++',
  maxIter: 100,
  batchSize: 1024,
  computeLabels: true,
  randomState: 0,
  tol: 0,
  maxNoImprovement: 10,
  initSize: null,
  nInit: 3,
  reassignmentRatio: 0.01,
  backend: undefined,
};

const SPECS: ParamSpecs<MiniBatchKMeansParams> = {
  nClusters: int({ min: 1 }),
  init: INIT_SPEC,
  maxIter: int({ min: 1 }),
  batchSize: int({ min: 1 }),
  computeLabels: bool(),
  randomState: int({ min: 0, max: 0xffffffff }),
  tol: num({ min: 0, finite: true }),
  maxNoImprovement: nullable(int({ min: 1 })),
  initSize: nullable(int({ min: 1 })),
  nInit: union(int({ min: 1 }), oneOf('auto')),
  reassignmentRatio: num({ min: 0, max: 1 }),
  backend: optional(BACKEND_CHOICE),
};

/** The state partialFit carries between calls. */
interface Stream {
  counts: Float64Array;
  rng: Rng;
  sinceReassign: number;
  steps: number;
}

function takeRows(x: FloatArray, d: number, idx: ArrayLike<number>): FloatArray {
  const out = x instanceof Float32Array ? new Float32Array(idx.length * d) : new Float64Array(idx.length * d);
  for (let r = 0; r < idx.length; r++) out.set(x.subarray(idx[r] * d, idx[r] * d + d), r * d);
  return out;
}

function takeWeights(w: Float64Array | null, idx: ArrayLike<number>): Float64Array | null {
  return w ? Float64Array.from(idx, (i) => w[i]) : null;
}

export class MiniBatchKMeans extends CentroidClusterer<MiniBatchKMeansParams> {
  private stream: Stream | undefined;

  constructor(params: Partial<MiniBatchKMeansParams> = {}) {
    super(DEFAULTS, params);
  }

  protected get paramSpecs(): ParamSpecs<MiniBatchKMeansParams> {
    return SPECS;
  }

  /** Mini-batch steps taken. */
  get nSteps(): number {
    return this.fitted(this.stream).steps;
  }

  /** Weight each centre has received (scikit-learn's private counts). */
  get counts(): Float64Array {
    return Float64Array.from(this.fitted(this.stream).counts);
  }

  private nInitRuns(): number {
    const { nInit, init } = this.params;
    if (typeof init !== 'string') return 1;
    if (nInit === 'auto') return init === 'random' ? 3 : 1;
    return nInit;
  }

  private async initCentres(x: FloatArray, n: number, d: number, rng: Rng, kernels: KmeansKernels, initSize: number): Promise<Float64Array> {
    const p = this.params;
    const given = this.givenCentres(p.init, d);
    if (given) return given;
    let sub = x,
      m = n;
    if (initSize < n) {
      sub = takeRows(
        x,
        d,
        Array.from({ length: initSize }, () => rng.int(n)),
      );
      m = initSize;
    }
    return p.init === 'random' ? randomInit(sub, m, d, p.nClusters, rng) : kmeansPlusPlus(sub, m, d, p.nClusters, rng, kernels);
  }

  /** One step on a batch: assign, move the centres, maybe reassign small ones; returns the batch's inertia before the move. */
  private async step(
    centers: Float64Array,
    x: FloatArray,
    w: Float64Array | null,
    rows: number,
    d: number,
    st: Stream,
    kernels: KmeansKernels,
  ): Promise<{ next: Float64Array; inertia: number }> {
    const k = this.params.nClusters;
    const r = await kernels.assign({ x, n: rows, d, k, weights: w, centers, accumulate: true });
    const next = Float64Array.from(centers);
    for (let j = 0; j < k; j++) {
      if (r.weightSums[j] <= 0) continue;
      const total = st.counts[j] + r.weightSums[j];
      for (let f = 0; f < d; f++) next[j * d + f] = (centers[j * d + f] * st.counts[j] + r.sums[j * d + f]) / total;
      st.counts[j] = total;
    }
    st.sinceReassign += rows;
    const reassign = st.counts.some((c) => c === 0) || st.sinceReassign >= 10 * k;
    if (reassign) st.sinceReassign = 0;
    if (reassign && this.params.reassignmentRatio > 0) this.reassign(next, x, rows, d, st);
    return { next, inertia: r.inertia };
  }

  private reassign(centers: Float64Array, x: FloatArray, rows: number, d: number, st: Stream): void {
    const { counts } = st;
    const max = counts.reduce((a, b) => Math.max(a, b), 0);
    const limit = this.params.reassignmentRatio * max;
    let chosen = Array.from(counts.keys()).filter((j) => counts[j] < limit);
    if (chosen.length > 0.5 * rows) {
      // at most half a batch: keep the centres with the smallest counts
      const order = Array.from(counts.keys()).sort((a, b) => counts[a] - counts[b] || a - b);
      const keep = new Set(order.slice(0, Math.floor(0.5 * rows)));
      chosen = chosen.filter((j) => keep.has(j));
    }
    if (!chosen.length) return;
    const perm = Int32Array.from({ length: rows }, (_, i) => i);
    for (let t = 0; t < chosen.length; t++) {
      const s = t + st.rng.int(rows - t);
      [perm[t], perm[s]] = [perm[s], perm[t]];
    }
    const chosenSet = new Set(chosen);
    let minRest = Infinity;
    for (let j = 0; j < counts.length; j++) if (!chosenSet.has(j)) minRest = Math.min(minRest, counts[j]);
    chosen.forEach((j, t) => {
      for (let f = 0; f < d; f++) centers[j * d + f] = x[perm[t] * d + f];
      counts[j] = Number.isFinite(minRest) ? minRest : 0;
    });
  }

  async fit(X: MatrixLike, _y?: unknown, opts: KMeansFitOptions = {}): Promise<this> {
    this.callOptions('fit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const { X: Xm, w } = this.readFit(X, opts);
      this.checkClusters(Xm.rows);
      const p = this.params,
        n = Xm.rows,
        d = Xm.cols,
        k = p.nClusters;
      const batch = Math.min(p.batchSize, n);
      let initSize = p.initSize ?? 3 * batch;
      if (initSize < k) initSize = 3 * k;
      initSize = Math.min(initSize, n);
      const rng = new Rng(p.randomState);
      const kernels = await this.kernels(batch * k * d);
      const tol = scaledTol(Xm, p.tol);
      const validIdx = Array.from({ length: initSize }, () => rng.int(n));
      const xValid = takeRows(Xm.data, d, validIdx),
        wValid = takeWeights(w, validIdx);
      let centers: Float64Array | undefined,
        bestInertia = Infinity;
      for (let t = 0; t < this.nInitRuns(); t++) {
        const c = await this.initCentres(Xm.data, n, d, rng, kernels, initSize);
        const r = await kernels.assign({ x: xValid, n: initSize, d, k, weights: wValid, centers: c, accumulate: false });
        if (!centers || r.inertia < bestInertia) {
          centers = c;
          bestInertia = r.inertia;
        }
      }
      const st: Stream = { counts: new Float64Array(k), rng, sinceReassign: 0, steps: 0 };
      let ewa: number | null = null,
        ewaMin: number | null = null,
        noImprovement = 0;
      const nSteps = Math.floor((p.maxIter * n) / batch);
      let c = centers as Float64Array;
      let i = 0;
      for (; i < nSteps; i++) {
        opts.signal?.throwIfAborted();
        const idx = Array.from({ length: batch }, () => rng.int(n));
        const { next, inertia: stepInertia } = await this.step(c, takeRows(Xm.data, d, idx), takeWeights(w, idx), batch, d, st, kernels);
        let shift = 0;
        if (tol > 0) for (let q = 0; q < next.length; q++) shift += (next[q] - c[q]) ** 2;
        const batchInertia = stepInertia / batch;
        c = next;
        if (i === 0) continue; // scikit-learn ignores the first step
        if (ewa === null) ewa = batchInertia;
        else {
          const alpha = Math.min(1, (batch * 2) / (n + 1));
          ewa = ewa * (1 - alpha) + batchInertia * alpha;
        }
        if (tol > 0 && shift <= tol) break;
        if (ewaMin === null || ewa < ewaMin) {
          noImprovement = 0;
          ewaMin = ewa;
        } else noImprovement++;
        if (p.maxNoImprovement !== null && noImprovement >= p.maxNoImprovement) break;
      }
      st.steps = Math.min(i + 1, nSteps);
      const nIter = Math.ceil((st.steps * batch) / n);
      let labels: Int32Array = new Int32Array(0),
        inertia = (ewa ?? 0) * n;
      if (p.computeLabels) {
        const r = await kernels.assign({ x: Xm.data, n, d, k, weights: w, centers: c, accumulate: false });
        labels = r.labels;
        inertia = r.inertia;
      }
      this.stream = st;
      this.state = { centers: c, k, p: d, labels, inertia, nIter };
    });
  }

  /** One mini-batch step on X (initialising the centres on X at the first call). */
  async partialFit(X: MatrixLike, _y?: unknown, opts: KMeansFitOptions = {}): Promise<this> {
    this.callOptions('partialFit', opts, WEIGHTED_FIT);
    return this.transaction(opts.signal, async () => {
      const { X: Xm, w } = this.readFit(X, opts, 'partialFit');
      const p = this.params,
        n = Xm.rows,
        d = Xm.cols,
        k = p.nClusters;
      const kernels = await this.kernels(n * k * d);
      let st = this.stream,
        centers = this.state?.centers;
      if (!st || !centers) {
        this.checkClusters(n, 'partialFit');
        const rng = new Rng(p.randomState);
        let initSize = p.initSize ?? 3 * Math.min(p.batchSize, n);
        if (initSize < k) initSize = 3 * k;
        centers = await this.initCentres(Xm.data, n, d, rng, kernels, Math.min(initSize, n));
        st = { counts: new Float64Array(k), rng, sinceReassign: 0, steps: 0 };
      } else if (d !== this.fittedState.p) {
        throw new ShapeError(`${this.constructor.name}.partialFit: X has ${d} features but the model was fitted with ${this.fittedState.p}`);
      }
      const stream = { ...st, counts: Float64Array.from(st.counts) };
      const { next } = await this.step(centers, Xm.data, w, n, d, stream, kernels);
      stream.steps++;
      let labels: Int32Array = new Int32Array(0),
        inertia = 0;
      if (p.computeLabels) {
        const r = await kernels.assign({ x: Xm.data, n, d, k, weights: w, centers: next, accumulate: false });
        labels = r.labels;
        inertia = r.inertia;
      }
      this.stream = stream;
      this.state = { centers: next, k, p: d, labels, inertia, nIter: this.state?.nIter ?? 0 };
    });
  }
}
